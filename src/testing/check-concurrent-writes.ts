/**
 * checkConcurrentWrites: a load check a user's test suite runs on its own write path. It starts an in-memory
 * Azurite (cnm's optional dependency) behind the loopback fault proxy, runs `write` from many concurrent writers,
 * and checks that no token was lost and each writer's tokens kept its order.
 */
import {
  BlobServiceClient,
  newPipeline,
  StorageSharedKeyCredential,
  type RequestPolicyFactory,
} from '@azure/storage-blob';
import { startAzurite, type EmbeddedAzurite } from '../azure/embedded-azurite.js';
import { DEV_ACCOUNT, DEV_KEY } from '../core/connection-string.js';
import { CnmError } from '../core/errors.js';
import { runConcurrentWrites, type ConcurrentWriteResult, type TokenWrite } from '../lib/concurrent-writes.js';
import { startFaultProxy } from './fault-proxy.js';
import { faultRules, type WriteFaults } from './write-faults.js';

export type { ConcurrentWriteResult, TokenWrite } from '../lib/concurrent-writes.js';

export interface CheckConcurrentWritesOptions {
  /** Your write path: add `token` to the JSON array of strings in `blob` (it starts as `[]`). */
  write: TokenWrite;
  /** Concurrent writers (1–256). */
  writers: number;
  /** Writes each writer makes, one after another (1–10000). */
  iterations: number;
  /** The faults between the writers and the service (default DEFAULT_FAULTS); `false` for none. */
  faults?: WriteFaults | false;
  /** Seed of the fault draws, to repeat a run (default: random). */
  seed?: number;
}

/** What checkConcurrentWrites found, and the faults it injected (so a test can see they happened). */
export interface CheckConcurrentWritesResult extends ConcurrentWriteResult {
  injected: { lostResponses: number; serverBusy: number; delays: number };
}

function wholeNumber(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new RangeError(`checkConcurrentWrites: ${name} must be a whole number from 1 to ${max}`);
  return value;
}

async function azurite(): Promise<EmbeddedAzurite> {
  try {
    return await startAzurite();
  } catch (err) {
    if (err instanceof CnmError && err.code === 'usage')
      throw new Error(
        'checkConcurrentWrites needs Azurite, an optional dependency of cnm, and it is not installed: ' +
          'npm install --save-dev azurite@3.35.0',
        { cause: err },
      );
    throw err;
  }
}

/**
 * Runs `write(blob, token)` from `writers` concurrent writers, `iterations` times each, against one blob of an
 * in-memory Azurite behind a fault proxy (lost responses after commit, 503s, delays), then reads the JSON array
 * back. Each writer gets its own client (the SDK's retries on: 5 tries, 20–200 ms apart).
 *
 * @returns `lostUpdates` (tokens whose write succeeded but are missing), `reordered` (a writer's tokens out of its
 *   order), `duplicated`, `conditionFailures` (writes answered 412 / 409 BlobAlreadyExists), `attemptsPerWrite`,
 *   `p50Ms`, `p99Ms`, `throughput`, `failedWrites`, the first `errors`, and the faults `injected`.
 * @example
 * const r = await checkConcurrentWrites({ write: myAppend, writers: 16, iterations: 10 });
 * expect(r).toMatchObject({ lostUpdates: 0, reordered: 0, duplicated: 0, failedWrites: 0 });
 */
export async function checkConcurrentWrites(
  options: CheckConcurrentWritesOptions,
): Promise<CheckConcurrentWritesResult> {
  const writers = wholeNumber('writers', options.writers, 256);
  const iterations = wholeNumber('iterations', options.iterations, 10_000);
  const rules = faultRules(options.faults, options.seed ?? Math.floor(Math.random() * 2 ** 32));
  const az = await azurite();
  try {
    const proxy = await startFaultProxy(new URL(az.blobEndpoint).origin, rules);
    try {
      const direct = BlobServiceClient.fromConnectionString(az.connectionString).getContainerClient('load');
      await direct.createIfNotExists();
      const name = 'tokens.json';
      const blob = direct.getBlockBlobClient(name);
      const clientFor = (counter: RequestPolicyFactory) => {
        const pipeline = newPipeline(new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY), {
          retryOptions: { maxTries: 5, retryDelayInMs: 20, maxRetryDelayInMs: 200 },
        });
        pipeline.factories.unshift(counter);
        return new BlobServiceClient(`${proxy.url}/${DEV_ACCOUNT}`, pipeline)
          .getContainerClient('load')
          .getBlockBlobClient(name);
      };
      const result = await runConcurrentWrites(
        {
          clientFor,
          reset: async () => void (await blob.upload('[]', 2)),
          read: async () => (await blob.downloadToBuffer()).toString('utf8'),
        },
        { write: options.write, writers, iterations },
      );
      const injected = (kind: string) => proxy.seen.filter((r) => r.fault === kind).length;
      return {
        ...result,
        injected: { lostResponses: injected('reset-after'), serverBusy: injected('status'), delays: injected('delay') },
      };
    } finally {
      await proxy.close();
    }
  } finally {
    await az.stop();
  }
}
