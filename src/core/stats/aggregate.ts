/**
 * One pass over a workload's requests, in bounded memory: totals, error codes, the series per bucket, the failing
 * blobs exactly (with a bounded counter for the busiest ones), who collides, and the origin of each failure by the
 * classifier `cnm diagnose` uses, judged against the same blob's last requests before it. Feed it every request,
 * oldest first, then read the counts. Pure.
 */
import type { Observed } from '../diagnose/types.js';
import { MAX_BUCKETS, type BucketGrid } from './buckets.js';
import { expectedKind, judgeHere, type FailureDetails, type FailureJudge } from './failure-judge.js';
import { HeavyHitters } from './heavy-hitters.js';
import { recordOf, type StatsRecord } from './record.js';
import type { CountedReads, ReadPlan } from './read-plan.js';
import { COUNTED, PASSED, SeenBlobs, seenAfter, UNSEEN } from './seen-blobs.js';
import type { StatsBucket, StatsCaller } from './types.js';

/** Distinct writers counted per blob, at most. */
const MAX_WRITERS = 1000;
/** Requests of a blob kept to classify its next failure against. */
const HISTORY = 8;
/** What the bounded counter holds per busy blob: its writers, its last requests, its exact tally once it failed. */
interface BusyBlob {
  /** Made on the first write and the first request kept: most blobs of a big log are seen once. */
  writers: Set<string> | undefined;
  recent: StatsRecord[] | undefined;
  failing: FailingBlob | undefined;
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

function matchesPrefix(key: string | undefined, prefix: string | undefined): boolean {
  if (!prefix) return true;
  if (!key) return false;
  if (prefix.startsWith('/')) return key.startsWith(prefix);
  return key.startsWith(prefix, key.indexOf('/', 1) + 1);
}

function bump(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/**
 * A failure waiting for its turn: its details come later from the judge, or came at once (`details`) behind one
 * whose details have not come yet (they are counted in the order the failures were met).
 */
interface Pending {
  blob: FailingBlob | undefined;
  n: number;
  details?: FailureDetails;
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
  private readonly pending: Pending[] = [];
  private settled = 0;
  private readonly judge: FailureJudge;

  /**
   * `judge`: who reads each failure's origin and caller (default: judged on the spot); one that answers later is
   * made with the aggregator's `settle`, and gives every answer before the counts are read.
   */
  constructor(
    private readonly grid: BucketGrid,
    private readonly filter: StatsFilter = {},
    busyCapacity = 2048,
    judge?: (settle: (d: FailureDetails) => void) => FailureJudge,
    /** The blobs seen: its own table, or one a scanner also counts reads into (readPlan). */
    private readonly seen = new SeenBlobs(),
  ) {
    this.judge = judge ? judge((d) => this.settle(d)) : judgeHere;
    this.series = Array.from({ length: grid.count }, (_, i) => ({
      start: grid.start(i),
      requests: 0,
      failures: 0,
      expected: 0,
    }));
    this.busy = new HeavyHitters(busyCapacity, () => ({ writers: undefined, recent: undefined, failing: undefined }));
  }

  /** One request read in full, or `n` alike (a row Log Analytics already counted). */
  add(o: Observed, n = 1): void {
    this.count(recordOf(o), n);
  }

  count(r: StatsRecord, n = 1): void {
    const t = r.time;
    // Another blob's request is no request of the range's either: outside the range counts only those under --blob.
    if (this.filter.blobPrefix && !matchesPrefix(r.blobKey, this.filter.blobPrefix)) return;
    if (!this.inRange(t, n)) return;
    const { bucket, side } = this.tally(t, n, r.conditional);
    if (r.outcome === 'not-modified') this.notModified += n;
    const admitted = this.admit(r);
    const key = admitted ? r.blobKey : undefined;
    const slot = key === undefined ? undefined : this.slot(key, n + (admitted === 2 ? 1 : 0));
    if (r.outcome === 'failure') {
      const expected = this.failure(r, key, slot, n);
      bucket.failures += n;
      if (expected) bucket.expected += n;
      else if (side) side.failures += n;
    }
    // A slot dropped by the counter as it was made still has its exact tally when the blob failed before.
    const failing = slot ? slot.failing : key === undefined ? undefined : this.failing.get(key);
    if (failing && r.outcome !== 'failure') failing.requests += n;
    if (r.write && key !== undefined) {
      const writer = r.writer();
      if (slot) {
        slot.writers ??= new Set();
        if (slot.writers.size < MAX_WRITERS) slot.writers.add(writer);
      }
      if (failing && failing.writers.size < MAX_WRITERS) failing.writers.add(writer);
    }
    // Kept to judge the blob's next failure by: all but the first read of a blob (most blobs are read once).
    if (slot && (r.write || r.outcome !== 'other' || slot.recent || this.busy.get(key!)!.count > n)) {
      r.keep();
      const recent = (slot.recent ??= []);
      recent.push(r);
      if (recent.length > HISTORY) recent.shift();
    }
  }

  /**
   * A read (no failure, no 304, no write) of the blob whose key hashes to `keyHash`, counted as count() would, from
   * these alone, when its blob was not seen before (most blobs of a big log are read once: see admit); false when
   * it needs the record (count).
   */
  countRead(t: number, keyHash: number, conditional: boolean): boolean {
    if (this.filter.blobPrefix) return false;
    if (!this.inRange(t, 1)) return true;
    if (this.seen.get(keyHash) !== UNSEEN) return false;
    this.seen.set(keyHash, PASSED);
    this.tally(t, 1, conditional);
    return true;
  }

  /**
   * What a scanner needs to count plain reads itself exactly as countRead does, into the same table of blobs seen:
   * undefined when a blob prefix is asked for (the prefix is read from the key's text), or the grid has more
   * buckets than the scanner counts.
   */
  readPlan(): ReadPlan | undefined {
    // The scanner counts into MAX_BUCKETS buckets at most (options.ts keeps a run's grid within them).
    if (this.filter.blobPrefix || this.grid.count > MAX_BUCKETS) return undefined;
    return { grid: this.grid, deployedAt: this.filter.deployedAt, seen: this.seen };
  }

  /** Plain reads a scanner counted by readPlan: `perBucket[i]` of them in bucket i. */
  addReads(r: CountedReads): void {
    for (let i = 0; i < this.series.length; i++) this.series[i]!.requests += r.perBucket[i]!;
    this.requests += r.requests;
    this.outOfRange += r.outOfRange;
    this.before.requests += r.before;
    this.after.requests += r.after;
  }

  private inRange(t: number, n: number): boolean {
    if (t >= this.grid.since && t < this.grid.until) return true;
    this.outOfRange += n;
    return false;
  }

  /** `n` requests at `t`: the totals, the bucket, the side of the deploy. */
  private tally(t: number, n: number, conditional: boolean): { bucket: StatsBucket; side: Side | undefined } {
    const bucket = this.series[this.grid.index(t)]!;
    const at = this.filter.deployedAt;
    const side = at === undefined ? undefined : t < at ? this.before : this.after;
    this.requests += n;
    bucket.requests += n;
    if (side) side.requests += n;
    if (conditional) this.conditional += n;
    return { bucket, side };
  }

  /**
   * Whether the request's blob is counted per blob: 0 no (a read of a blob not seen before, by its key's hash: most
   * blobs of a big log are read once, and making their keys and slots is most of the cost), 1 yes, 2 yes and the
   * read that was passed over counts too. Writes and failures always are (their writers and history matter).
   */
  private admit(r: StatsRecord): 0 | 1 | 2 {
    if (r.keyHash === undefined) return r.blobKey === undefined ? 0 : 1;
    const state = this.seen.get(r.keyHash);
    // A blob the table cannot hold is counted every time: never passed over, never counted twice.
    if (state >= COUNTED) return 1;
    const next = seenAfter(state, !r.write && r.outcome === 'other');
    this.seen.set(r.keyHash, next);
    if (next === PASSED) return 0;
    return state === PASSED ? 2 : 1;
  }

  /** The blob's slot in the bounded counter; a blob that comes back finds its exact tally again. */
  private slot(key: string, n: number): BusyBlob | undefined {
    const s = this.busy.add(key, n);
    if (s && s.count === n && !s.value.failing) s.value.failing = this.failing.get(key);
    return s?.value;
  }

  /**
   * Counts one failure; true when it is expected contention (known from its path and code alone, so the counts
   * by time and by blob need not wait for the judge).
   */
  private failure(r: StatsRecord, key: string | undefined, slot: BusyBlob | undefined, n: number): boolean {
    this.failures += n;
    bump(this.byErrorCode, r.errorKey, n);
    const contention = expectedKind(key, r.errorKey);
    const expected = contention !== undefined;
    if (expected) this.expected += n;
    let blob: FailingBlob | undefined;
    if (key !== undefined) {
      const known = slot?.failing ?? this.failing.get(key);
      blob = known ?? this.startFailing(key, n);
      if (slot) slot.failing = blob;
      if (known) blob.requests += n;
      blob.failures += n;
      if (expected) {
        blob.expected += n;
        blob.contention ??= contention;
      }
      bump(blob.codes, r.errorKey, n);
    }
    const details = this.judge.judge(r, slot?.recent ?? [], expected);
    if (details && this.unsettled === 0) this.apply(details, blob, n);
    else this.pending.push({ blob, n, details });
    return expected;
  }

  /** A promise while the judge is too far behind (the reader waits before reading on). */
  pace(): Promise<void> | undefined {
    return this.judge.pace?.();
  }

  /** Failures whose details have not come yet: none once the judge has drained. */
  get unsettled(): number {
    return this.pending.length - this.settled;
  }

  /** The details of the oldest failure still waiting for them. */
  settle(d: FailureDetails): void {
    this.applyJudged();
    const p = this.pending[this.settled];
    if (!p) throw new Error('a failure was settled that was never judged');
    this.next();
    this.apply(d, p.blob, p.n);
    this.applyJudged();
  }

  /** The failures at the front whose details came at once: their turn has come. */
  private applyJudged(): void {
    for (let p = this.pending[this.settled]; p?.details; p = this.pending[this.settled]) {
      this.next();
      this.apply(p.details, p.blob, p.n);
    }
  }

  private next(): void {
    this.pending[this.settled++] = undefined!;
    // Settled ones dropped from the front once they are half the list: it holds only what is still waiting.
    if (this.settled >= 1024 && this.settled * 2 >= this.pending.length) {
      this.pending.splice(0, this.settled);
      this.settled = 0;
    }
  }

  private apply(d: FailureDetails, blob: FailingBlob | undefined, n: number): void {
    bump(this.byOrigin, d.kind, n);
    this.countCaller(d, n);
    // The blob's latest failure by time, not the last read: files and folders are not read in time order.
    if (blob && (d.requestId || d.clientRequestId) && !before(d.time, blob.last))
      blob.last = { requestId: d.requestId, clientRequestId: d.clientRequestId, time: d.time };
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

  private countCaller(d: FailureDetails, n: number): void {
    const key = [d.caller, d.userAgent, d.identity].join('\u0001');
    const c = this.callers.get(key);
    if (c) c.failures += n;
    else this.callers.set(key, { caller: d.caller, userAgent: d.userAgent, identity: d.identity, failures: n });
  }
}

/** Is a failure at `time` earlier than the latest one kept? One without a time is, when the kept one has a time. */
function before(time: string | undefined, last: FailingBlob['last']): boolean {
  if (!last) return false;
  if (time === undefined) return last.time !== undefined;
  return last.time !== undefined && Date.parse(time) < Date.parse(last.time);
}
