/**
 * One pass over a workload's requests, in bounded memory: totals, error codes, the series per bucket, the failing
 * blobs exactly (with a bounded counter for the busiest ones), who collides, and the origin of each failure by the
 * classifier `cnm diagnose` uses. Feed it every request (any order; each failure is judged by the same blob's
 * requests seen before it), then read `result()`. Pure.
 */
import { recogniseContention } from '../diagnose/contention.js';
import { classifyOrigin } from '../diagnose/origin.js';
import type { Observed } from '../diagnose/types.js';
import { BlobHistory } from './blob-history.js';
import type { BucketGrid } from './buckets.js';
import { errorKey, hostOf, isConditional, isWrite, outcomeOf } from './failure.js';
import { HeavyHitters } from './heavy-hitters.js';
import type { StatsBucket, StatsCaller } from './types.js';

/** Distinct writers counted per blob, at most: a blob written by more is shown as "≥ this". */
const MAX_WRITERS = 1000;

interface BusyBlob {
  writers: Set<string>;
}

export interface FailingBlob {
  requests: number;
  requestsExact: boolean;
  failures: number;
  expected: number;
  writers: Set<string>;
  codes: Map<string, number>;
  contention?: string;
  last?: { requestId?: string; clientRequestId?: string; time?: string };
}

export interface StatsFilter {
  /** `container/prefix` or `/account/container/prefix`. */
  blobPrefix?: string;
  deployedAt?: number;
}

export interface Side {
  requests: number;
  failures: number;
}

function writerOf(o: Observed): string {
  return [o.identity ?? '', hostOf(o.callerIp) ?? o.caller ?? '', o.userAgent ?? ''].join('\u0001');
}

function matchesPrefix(key: string | undefined, prefix: string | undefined): boolean {
  if (!prefix) return true;
  if (!key) return false;
  if (prefix.startsWith('/')) return key.startsWith(prefix);
  return key.slice(key.indexOf('/', 1) + 1).startsWith(prefix);
}

export class StatsAggregator {
  requests = 0;
  conditional = 0;
  failures = 0;
  notModified = 0;
  expected = 0;
  outOfRange = 0;
  readonly byErrorCode = new Map<string, number>();
  readonly byOrigin = new Map<string, number>();
  readonly series: StatsBucket[];
  readonly failing = new Map<string, FailingBlob>();
  readonly busy: HeavyHitters<BusyBlob>;
  readonly callers = new Map<string, StatsCaller>();
  readonly before: Side = { requests: 0, failures: 0 };
  readonly after: Side = { requests: 0, failures: 0 };
  private readonly history = new BlobHistory();

  constructor(
    private readonly grid: BucketGrid,
    private readonly filter: StatsFilter = {},
    busyCapacity = 2048,
  ) {
    this.series = Array.from({ length: grid.count }, (_, i) => ({
      start: grid.start(i),
      requests: 0,
      failures: 0,
      expected: 0,
    }));
    this.busy = new HeavyHitters(busyCapacity, () => ({ writers: new Set<string>() }));
  }

  /** One request, or `n` alike (a row Log Analytics already counted: no history, so no origin beyond the path). */
  add(o: Observed, n = 1): void {
    const t = o.time ? Date.parse(o.time) : NaN;
    if (!(t >= this.grid.since && t < this.grid.until)) {
      this.outOfRange += n;
      return;
    }
    if (!matchesPrefix(o.blobKey, this.filter.blobPrefix)) return;
    const outcome = outcomeOf(o);
    const bucket = this.series[this.grid.index(t)]!;
    const side =
      this.filter.deployedAt === undefined ? undefined : t < this.filter.deployedAt ? this.before : this.after;
    this.requests += n;
    bucket.requests += n;
    if (side) side.requests += n;
    if (isConditional(o, outcome)) this.conditional += n;
    if (outcome === 'not-modified') this.notModified += n;
    const key = o.blobKey;
    const write = isWrite(o);
    const slot = key === undefined ? undefined : this.busy.add(key, n);
    if (slot && write && slot.value.writers.size < MAX_WRITERS) slot.value.writers.add(writerOf(o));
    if (outcome === 'failure') {
      const expected = this.failure(o, key, n);
      bucket.failures += n;
      if (expected) bucket.expected += n;
      else if (side) side.failures += n;
    } else if (key !== undefined) {
      const blob = this.failing.get(key);
      if (blob) {
        blob.requests += n;
        if (write && blob.writers.size < MAX_WRITERS) blob.writers.add(writerOf(o));
      }
    }
    if (key !== undefined) this.history.push(key, o);
  }

  /** Counts one failure; true when it is expected contention. */
  private failure(o: Observed, key: string | undefined, n: number): boolean {
    this.failures += n;
    const code = errorKey(o);
    bump(this.byErrorCode, code, n);
    const { origin } = classifyOrigin(o, key === undefined ? [] : this.history.of(key));
    bump(this.byOrigin, origin.kind, n);
    const expected = origin.kind === 'expected-contention';
    if (expected) this.expected += n;
    this.countCaller(o, n);
    if (key === undefined) return expected;
    const known = this.failing.get(key);
    const blob = known ?? this.startFailing(key, n);
    if (known) blob.requests += n;
    blob.failures += n;
    if (expected) {
      blob.expected += n;
      blob.contention ??= contentionOf(key);
    }
    bump(blob.codes, code, n);
    if (isWrite(o) && blob.writers.size < MAX_WRITERS) blob.writers.add(writerOf(o));
    if (o.requestId || o.clientRequestId)
      blob.last = { requestId: o.requestId, clientRequestId: o.clientRequestId, time: o.time };
    return expected;
  }

  /** A blob's first failure: its requests and writers so far come from the bounded counter (this one included). */
  private startFailing(key: string, n: number): FailingBlob {
    const busy = this.busy.get(key);
    const blob: FailingBlob = {
      requests: busy?.count ?? n,
      requestsExact: this.busy.maxError === 0,
      failures: 0,
      expected: 0,
      writers: new Set(busy?.value.writers),
      codes: new Map(),
    };
    this.failing.set(key, blob);
    return blob;
  }

  private countCaller(o: Observed, n: number): void {
    const caller = hostOf(o.callerIp) ?? o.caller ?? null;
    const key = [caller, o.userAgent, o.identity].join('\u0001');
    const c = this.callers.get(key);
    if (c) c.failures += n;
    else this.callers.set(key, { caller, userAgent: o.userAgent ?? null, identity: o.identity ?? null, failures: n });
  }
}

function bump(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** The library a blob key's path belongs to (`/account/container/name`). */
function contentionOf(key: string): string | undefined {
  const [, , container, ...rest] = key.split('/');
  return recogniseContention(container, rest.join('/'))?.kind;
}
