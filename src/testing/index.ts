/**
 * `cnm/testing`: checks a user's test suite runs on its own write path, and the loopback fault proxy they use.
 * It loads Azurite (cnm's optional dependency) only when checkConcurrentWrites runs.
 */
export {
  checkConcurrentWrites,
  type CheckConcurrentWritesOptions,
  type CheckConcurrentWritesResult,
  type ConcurrentWriteResult,
  type TokenWrite,
} from './check-concurrent-writes.js';
export { DEFAULT_FAULTS, type WriteFaults } from './write-faults.js';
export { startFaultProxy, type Fault, type FaultProxy, type FaultRule, type SeenRequest } from './fault-proxy.js';
