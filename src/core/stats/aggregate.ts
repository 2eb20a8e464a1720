/**
 * One pass over a workload's requests, in bounded memory: totals, error codes, the series per bucket, the failing
 * blobs exactly (with a bounded counter for the busiest ones), who collides, and the origin of each failure by the
 * classifier `cnm diagnose` uses, judged against the same blob's last requests before it. Feed it every request,
 * oldest first, then read the counts. Pure.
 */
import { recogniseContention } from '../diagnose/contention.js';
import { classifyOrigin } from '../diagnose/origin.js';
import type { Contention, Observed } from '../diagnose/types.js';
import type { BucketGrid } from './buckets.js';
import { hostOf } from './failure.js';
import { HeavyHitters } from './heavy-hitters.js';
import { recordOf, type StatsRecord } from './record.js';
import type { StatsBucket, StatsCaller } from './types.js';

/** Distinct writers counted per blob, at most. */
const MAX_WRITERS = 1000;
/** Requests of a blob kept to classify its next failure against. */
const HISTORY = 8;
/** Blob-key hashes seen (0 never, 1 read once and passed over, 2 counted): 16 MB, a few % collisions at 1M blobs. */
const SEEN_MASK = (1 << 24) - 1;

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

/** The library a blob key's path belongs to (`/account/container/name`). */
function contentionOf(key: string): Contention | undefined {
  const [, , container, ...rest] = key.split('/');
  return recogniseContention(container, rest.join('/'));
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
  private readonly seen = new Uint8Array(SEEN_MASK + 1);

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
    this.busy = new HeavyHitters(busyCapacity, () => ({ writers: undefined, recent: undefined, failing: undefined }));
  }

  /** One request read in full, or `n` alike (a row Log Analytics already counted). */
  add(o: Observed, n = 1): void {
    this.count(recordOf(o), n);
  }

  count(r: StatsRecord, n = 1): void {
    const t = r.time;
    if (!(t >= this.grid.since && t < this.grid.until)) {
      this.outOfRange += n;
      return;
    }
    if (this.filter.blobPrefix && !matchesPrefix(r.blobKey, this.filter.blobPrefix)) return;
    const bucket = this.series[this.grid.index(t)]!;
    const at = this.filter.deployedAt;
    const side = at === undefined ? undefined : t < at ? this.before : this.after;
    this.requests += n;
    bucket.requests += n;
    if (side) side.requests += n;
    if (r.conditional) this.conditional += n;
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
   * Whether the request's blob is counted per blob: 0 no (a read of a blob not seen before, by its key's hash: most
   * blobs of a big log are read once, and making their keys and slots is most of the cost), 1 yes, 2 yes and the
   * read that was passed over counts too. Writes and failures always are (their writers and history matter).
   */
  private admit(r: StatsRecord): 0 | 1 | 2 {
    if (r.keyHash === undefined) return r.blobKey === undefined ? 0 : 1;
    const i = r.keyHash & SEEN_MASK;
    const state = this.seen[i]!;
    this.seen[i] = 2;
    if (state === 2) return 1;
    if (!r.write && r.outcome === 'other' && state === 0) {
      this.seen[i] = 1;
      return 0;
    }
    return state === 1 ? 2 : 1;
  }

  /** The blob's slot in the bounded counter; a blob that comes back finds its exact tally again. */
  private slot(key: string, n: number): BusyBlob | undefined {
    const s = this.busy.add(key, n);
    if (s && s.count === n && !s.value.failing) s.value.failing = this.failing.get(key);
    return s?.value;
  }

  /** Counts one failure; true when it is expected contention. */
  private failure(r: StatsRecord, key: string | undefined, slot: BusyBlob | undefined, n: number): boolean {
    this.failures += n;
    bump(this.byErrorCode, r.errorKey, n);
    const o = r.observe();
    const kind = this.originKind(o, key, slot);
    bump(this.byOrigin, kind, n);
    const expected = kind === 'expected-contention';
    if (expected) this.expected += n;
    this.countCaller(o, n);
    if (key === undefined) return expected;
    const known = slot?.failing ?? this.failing.get(key);
    const blob = known ?? this.startFailing(key, n);
    if (slot) slot.failing = blob;
    if (known) blob.requests += n;
    blob.failures += n;
    if (expected) {
      blob.expected += n;
      blob.contention ??= contentionOf(key)?.kind;
    }
    bump(blob.codes, r.errorKey, n);
    if (o.requestId || o.clientRequestId)
      blob.last = { requestId: o.requestId, clientRequestId: o.clientRequestId, time: o.time };
    return expected;
  }

  /**
   * The origin's kind, as classifyOrigin says. A path whose library loses races by design is expected contention
   * whatever made this one fail (origin.ts), so its history is not read.
   */
  private originKind(o: Observed, key: string | undefined, slot: BusyBlob | undefined): string {
    if (key !== undefined) {
      const contention = contentionOf(key);
      if (contention?.expected) return 'expected-contention';
    }
    return classifyOrigin(o, slot?.recent ? slot.recent.map((x) => x.observe()) : []).origin.kind;
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
