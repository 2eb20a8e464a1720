/**
 * `cnm load`'s report: per write strategy, what many concurrent writers on one blob did to it — updates lost,
 * writes refused on a condition, attempts, throughput and latency — and, in sentences, what that means.
 */

export type LoadStrategy = 'blind' | 'etag' | 'lease';

export interface LoadResult {
  strategy: LoadStrategy;
  writers: number;
  /** Writes each writer made. */
  ops: number;
  lostUpdates: number;
  /** Write requests answered 412 (or 409 BlobAlreadyExists). */
  conditionFailures: number;
  /** conditionFailures / write requests. */
  conditionFailureRate: number;
  attemptsPerWrite: number;
  /** Successful writes a second. */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  reordered: number;
  duplicated: number;
  failedWrites: number;
  /** Lease acquires answered 409 while another writer held the lease. */
  leaseConflicts: number;
  /** The first errors of failed writes. */
  errors: string[];
}

export interface LoadReport {
  command: 'load';
  version: string;
  /** Where the writers wrote: cnm's own in-memory Azurite, or a scratch blob of a real account (`--blob --execute`). */
  target: { kind: 'embedded-azurite'; endpoint: string } | { kind: 'blob'; blob: string };
  results: LoadResult[];
  /** What the numbers mean, a sentence a strategy. */
  summary: string[];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function damage(r: LoadResult): string {
  const parts: string[] = [];
  if (r.lostUpdates) parts.push(`${r.lostUpdates} of ${r.writers * r.ops} updates lost`);
  if (r.reordered) parts.push(`${plural(r.reordered, 'update')} out of its writer's order`);
  if (r.duplicated) parts.push(`${plural(r.duplicated, 'update')} applied twice`);
  if (r.failedWrites) parts.push(`${plural(r.failedWrites, 'write')} gave up with an error`);
  return parts.length ? parts.join(', ') : 'no update lost, none out of order';
}

function sentence(r: LoadResult): string {
  switch (r.strategy) {
    case 'blind':
      return r.lostUpdates
        ? `blind writes lost ${r.lostUpdates} of ${r.writers * r.ops} updates (${pct(r.lostUpdates / (r.writers * r.ops))}): ` +
            'the last writer wins and nobody is told.'
        : 'blind writes lost nothing this time — luck, not a guarantee: nothing stops one writer overwriting another.';
    case 'etag':
      return (
        `optimistic retries (If-Match) spent ${r.attemptsPerWrite} attempts per write; ` +
        `${pct(r.conditionFailureRate)} of write requests were answered 412; ${damage(r)}; p99 ${r.p99Ms} ms.`
      );
    case 'lease':
      return (
        `a lease serializes the writers at ${r.throughput} writes/s (p99 ${r.p99Ms} ms; ` +
        `${plural(r.leaseConflicts, 'acquire')} waited for another holder); ${damage(r)}.`
      );
  }
}

export function buildLoadReport(version: string, target: LoadReport['target'], results: LoadResult[]): LoadReport {
  return { command: 'load', version, target, results, summary: explainLoad(results) };
}

/** One sentence a strategy, after a headline naming the load. */
export function explainLoad(results: readonly LoadResult[]): string[] {
  if (results.length === 0) return [];
  const { writers, ops } = results[0]!;
  return [`${plural(writers, 'writer')} × ${plural(ops, 'write')} each, on one blob:`, ...results.map(sentence)];
}
