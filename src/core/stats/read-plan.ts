/**
 * Plain reads counted outside the aggregator (by the `$logs` scanner, parse/analytics-fast.ts), as its countRead
 * would count them one by one: the plan it is given, and what comes back. Pure.
 */
import type { BucketGrid } from './buckets.js';
import type { SeenBlobs } from './seen-blobs.js';

export interface ReadPlan {
  /** The range and its buckets: a read outside the range is counted out of range. */
  grid: BucketGrid;
  /** Reads before it count on the before side, the rest after. */
  deployedAt: number | undefined;
  /** The table of blobs seen: a read is counted here only when its blob was not, and marks it seen. */
  seen: SeenBlobs;
}

export interface CountedReads {
  requests: number;
  /** Reads per bucket, by the plan's grid. */
  perBucket: Int32Array;
  before: number;
  after: number;
  outOfRange: number;
}
