/**
 * Runs a write path from many concurrent writers against one blob holding a JSON array, and judges the result:
 * each writer adds its own tokens, one write at a time, in order; at the end every token must be there, once,
 * each writer's in its order. Shared by `checkConcurrentWrites` (cnm/testing) and `cnm load`.
 */
import type { BlockBlobClient, RequestPolicyFactory } from '@azure/storage-blob';
import { judgeTokens, percentile } from '../core/token-verdict.js';
import { countRequests, emptyCounts } from './request-counter.js';

/** The user's write path: it must add `token` to the JSON array of strings held in the blob. */
export type TokenWrite = (blob: BlockBlobClient, token: string) => unknown;

/** Where the writers write: a client per writer (with a counting policy first), and the blob as seen from outside. */
export interface WriteTarget {
  clientFor(counter: RequestPolicyFactory): BlockBlobClient;
  /** Puts `[]` in the blob. */
  reset(): Promise<void>;
  /** The blob's content at the end. */
  read(): Promise<string>;
}

export interface ConcurrentWriteResult {
  /** Writes that reported success (write() resolved). */
  writes: number;
  /** Writes that threw; their tokens are not counted as lost. */
  failedWrites: number;
  lostUpdates: number;
  reordered: number;
  duplicated: number;
  /** Writes answered 412 (or 409 BlobAlreadyExists), retried or not. */
  conditionFailures: number;
  /** Lease acquires answered 409 while another writer held the lease. */
  leaseConflicts: number;
  /** Write requests (operations, not counting the SDK's own retries) per write() call. */
  attemptsPerWrite: number;
  /** conditionFailures / write requests: the share of write requests the service refused on a condition. */
  conditionFailureRate: number;
  /** Successful writes a second, over the whole run. */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  /** The first few errors thrown by write(), as `token: message`. */
  errors: string[];
}

export interface RunOptions {
  write: TokenWrite;
  writers: number;
  iterations: number;
  /** Called after each write with the number done so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

function parseArray(text: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new Error(
      `the blob does not hold a JSON array of strings at the end (it holds ${JSON.stringify(text.slice(0, 80))}): ` +
        'write(blob, token) must add token to the JSON array in the blob',
    );
  return value;
}

export async function runConcurrentWrites(target: WriteTarget, options: RunOptions): Promise<ConcurrentWriteResult> {
  await target.reset();
  const counts = emptyCounts();
  const total = options.writers * options.iterations;
  const issued: string[][] = [];
  const failed = new Set<string>();
  const errors: string[] = [];
  const latencies: number[] = [];
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.writers }, async (_, w) => {
      const blob = target.clientFor(countRequests(counts));
      const mine: string[] = [];
      issued.push(mine);
      for (let i = 0; i < options.iterations; i++) {
        const token = `w${w}-${i}`;
        mine.push(token);
        const t0 = performance.now();
        try {
          await options.write(blob, token);
          latencies.push(performance.now() - t0);
        } catch (err) {
          failed.add(token);
          if (errors.length < 5) errors.push(`${token}: ${(err as Error)?.message ?? String(err)}`);
        }
        options.onProgress?.(++done, total);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const verdict = judgeTokens(issued, failed, parseArray(await target.read()));
  const writes = total - failed.size;
  return {
    writes,
    failedWrites: failed.size,
    ...verdict,
    conditionFailures: counts.conditionFailures,
    leaseConflicts: counts.leaseConflicts,
    attemptsPerWrite: round(counts.writes / total, 2),
    conditionFailureRate: round(counts.writes ? counts.conditionFailures / counts.writes : 0, 3),
    throughput: round(writes / Math.max(elapsed, 1e-3), 1),
    p50Ms: round(percentile(latencies, 50), 1),
    p99Ms: round(percentile(latencies, 99), 1),
    errors,
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
