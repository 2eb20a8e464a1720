/**
 * cnm as a library: a read-refresh-write helper, a single-writer lease guard, pipeline policies that capture failed
 * conditional requests and audit ETag discipline, and the pure condition engine that explains them.
 */
export {
  readRefreshWrite,
  type ReadRefreshWriteOptions,
  type ReadRefreshWriteResult,
  type Update,
  type CurrentProperties,
  type BackoffOptions,
} from './read-refresh-write.js';
export { ReadRefreshWriteError } from './errors.js';
export { withBlobLease, withContainerLease, type LeaseGuard, type WithLeaseOptions } from './with-blob-lease.js';
export { LeaseLostError, LeaseWaitTimeoutError, type LeaseLossReason } from './lease-errors.js';
export { captureFailedRequests, isFailedConditional, type CaptureOptions } from './capture-failed-requests.js';
export { capturingPipeline } from './capturing-pipeline.js';
export {
  auditConditionalRequests,
  type AuditFinding,
  type AuditFindingKind,
  type AuditOptions,
} from './audit-conditional-requests.js';
export { evaluateConditions, type Evaluation, type ConditionResult } from '../core/evaluate.js';
export { explainCapture } from '../core/explain-capture.js';
export { causeInfo, CAUSE_CODES, type CauseCode, type CauseInfo, type CauseReport } from '../core/causes.js';
export { classifyOperation, type OperationInfo } from '../core/operation.js';
export { redactCapture } from '../core/redact.js';
export type {
  BlobState,
  Capture,
  CapturedRequest,
  CapturedResponse,
  HeaderMap,
  LeaseInfo,
  LeaseState,
  LeaseStatus,
  LeaseDuration,
  BlobType,
} from '../core/types.js';
