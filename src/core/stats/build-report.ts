/** The aggregator's counts as `cnm stats`'s report: ranked, compared across a deploy, judged by the gates. Pure. */
import type { StatsAggregator, FailingBlob, Side } from './aggregate.js';
import { shellQuote } from '../diagnose/steps.js';
import { ALPHA, compareRates, RATE_TEST_NAME } from './rate-test.js';
import type { StatsBlob, StatsCompare, StatsReport, RateSide } from './types.js';
import { redactText } from '../redact.js';
import { byCodeUnits } from '../code-unit-order.js';

export interface StatsMeta {
  version: string;
  sources: string[];
  since: number;
  until: number;
  bucket: string;
  top: number;
  deployedAt?: number;
  failAbove?: number;
  expectDrop?: boolean;
  skipped: number;
  notes: string[];
  /** The source options as typed, for the next command line. */
  sourceArgs: string[];
}

const rate = (failures: number, requests: number) => (requests ? failures / requests : 0);

function side(s: Side): RateSide {
  return { requests: s.requests, failures: s.failures, rate: rate(s.failures, s.requests) };
}

function topCode(codes: Map<string, number>): string | null {
  let best: string | null = null;
  let n = 0;
  for (const [code, c] of codes) if (c > n || (c === n && best !== null && code < best)) [best, n] = [code, c];
  return best;
}

function blobRow(key: string, b: FailingBlob): StatsBlob {
  return {
    blob: key,
    requests: b.requests,
    failures: b.failures,
    writers: b.writers.size,
    topErrorCode: topCode(b.codes),
    ...(b.contention ? { expectedContention: b.contention } : {}),
    requestsExact: b.requestsExact,
  };
}

/** Failing blobs hottest first (most failures, then most requests); the busiest blobs when none failed. */
/** Every blob that failed, hottest first. */
function failingBlobs(agg: StatsAggregator): StatsBlob[] {
  return [...agg.failing]
    .map(([k, b]) => blobRow(k, b))
    .sort((a, b) => b.failures - a.failures || b.requests - a.requests || (a.blob < b.blob ? -1 : 1));
}

function hotBlobs(agg: StatsAggregator, failing: StatsBlob[], top: number): StatsBlob[] {
  if (failing.length) return failing.slice(0, top);
  return agg.busy.top(top).map((x) => ({
    blob: x.key,
    requests: x.count,
    failures: 0,
    writers: x.value.writers?.size ?? 0,
    topErrorCode: null,
    requestsExact: agg.busy.maxError === 0,
  }));
}

function compare(agg: StatsAggregator, at: number): StatsCompare {
  const before = side(agg.before);
  const after = side(agg.after);
  const test = compareRates(agg.before, agg.after);
  return {
    deployedAt: new Date(at).toISOString(),
    before,
    after,
    ratio: before.rate > 0 ? after.rate / before.rate : null,
    significant: test !== undefined && test.pTwoSided < ALPHA,
    dropped: test !== undefined && test.pDrop < ALPHA && after.rate < before.rate,
    pValue: test?.pTwoSided ?? null,
    pDrop: test?.pDrop ?? null,
    test: RATE_TEST_NAME,
    expectedContentionCounted: false,
  };
}

const pct = (x: number, decimals = 2) => `${(x * 100).toFixed(decimals)}%`;

function gateFailures(m: StatsMeta, actionableRate: number, cmp: StatsCompare | undefined): string[] {
  const failed: string[] = [];
  if (m.failAbove !== undefined && actionableRate > m.failAbove) {
    // As many decimals as tell the two apart: "44.44% is above 44.44%" read as a contradiction.
    let d = 2;
    while (d < 8 && pct(actionableRate, d) === pct(m.failAbove, d)) d++;
    failed.push(`the failure rate ${pct(actionableRate, d)} is above --fail-above ${pct(m.failAbove, d)}`);
  }
  if (m.expectDrop && cmp && !cmp.dropped)
    failed.push(
      cmp.after.requests === 0 || cmp.before.requests === 0
        ? `no requests ${cmp.before.requests === 0 ? 'before' : 'after'} the deploy: a drop cannot be shown`
        : `the rate after the deploy (${pct(cmp.after.rate)}) is not significantly lower than before (${pct(cmp.before.rate)}; one-sided p = ${cmp.pDrop!.toPrecision(2)})`,
    );
  return failed;
}

/**
 * `cnm diagnose` of the latest failure of the hottest blob that is not expected contention (else the hottest),
 * among every blob that failed (not only the --top shown).
 */
function nextCommand(blobs: StatsBlob[], agg: StatsAggregator, sourceArgs: string[]): string | undefined {
  const pick =
    blobs.find((b) => b.failures > 0 && !b.expectedContention && agg.failing.get(b.blob)?.last) ??
    blobs.find((b) => agg.failing.get(b.blob)?.last);
  const last = pick && agg.failing.get(pick.blob)?.last;
  if (!last) return undefined;
  const id = last.requestId ?? last.clientRequestId!;
  const args = ['cnm', 'diagnose', '--request-id', id, ...sourceArgs, ...(last.time ? ['--time', last.time] : [])];
  return args.map(shellQuote).join(' ');
}

function sorted(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort((a, b) => b[1] - a[1] || byCodeUnits(a[0], b[0])));
}

export function buildStatsReport(agg: StatsAggregator, m: StatsMeta): StatsReport {
  const actionableRate = rate(agg.failures - agg.expected, agg.requests);
  const cmp = m.deployedAt === undefined ? undefined : compare(agg, m.deployedAt);
  const failing = failingBlobs(agg);
  const blobs = hotBlobs(agg, failing, m.top);
  const next = nextCommand(failing, agg, m.sourceArgs);
  return {
    command: 'stats',
    version: m.version,
    sources: m.sources,
    range: { since: new Date(m.since).toISOString(), until: new Date(m.until).toISOString() },
    bucket: m.bucket,
    totals: {
      requests: agg.requests,
      conditional: agg.conditional,
      failures: agg.failures,
      rate: rate(agg.failures, agg.requests),
      notModified: agg.notModified,
      expectedContention: agg.expected,
      actionableRate,
    },
    byErrorCode: sorted(agg.byErrorCode),
    byOrigin: sorted(agg.byOrigin),
    series: agg.series,
    blobs,
    // Log fields as written: a secret of known shape in them is scrubbed here, so the table is laid out without it.
    callers: [...agg.callers.values()]
      .sort((a, b) => b.failures - a.failures || byCodeUnits(String(a.caller), String(b.caller)))
      .slice(0, m.top)
      .map((c) => ({
        ...c,
        caller: c.caller === null ? null : redactText(c.caller),
        userAgent: c.userAgent === null ? null : redactText(c.userAgent),
        identity: c.identity === null ? null : redactText(c.identity),
      })),
    ...(cmp ? { compare: cmp } : {}),
    gate: {
      ...(m.failAbove !== undefined ? { failAbove: m.failAbove } : {}),
      ...(m.expectDrop ? { expectDrop: true } : {}),
      failed: gateFailures(m, actionableRate, cmp),
    },
    ...(next ? { next } : {}),
    skipped: m.skipped,
    outOfRange: agg.outOfRange,
    notes: m.notes,
  };
}
