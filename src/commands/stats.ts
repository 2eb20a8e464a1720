/**
 * `cnm stats [--logs …] [--analytics-logs] [--workspace …]`: the workload's ConditionNotMet picture. Options
 * become a plan (core/stats/options.ts), every source streams its requests into one aggregator (core/stats), and
 * the report comes back; an empty range is not found (exit 4). Never prints, never exits.
 */
import { CnmError } from '../core/errors.js';
import { StatsAggregator } from '../core/stats/aggregate.js';
import { BucketGrid } from '../core/stats/buckets.js';
import { buildStatsReport } from '../core/stats/build-report.js';
import { planStats, type StatsFlags, type StatsPlan } from '../core/stats/options.js';
import type { StatsReport } from '../core/stats/types.js';
import { VERSION } from '../core/version.js';
import type { Context } from './context.js';
import { hasSource, remoteSources, sourceFlags, sourceIo, type LogSourceOptions } from './log-sources.js';
import { inputFiles } from './input-files.js';
import { readStatsSources, type StatsSources } from '../logs/stats-sources.js';
import { WorkerJudge, type WorkerJudgeOptions } from '../logs/judge-on-worker.js';
import { AnalyticsScanner } from '../parse/analytics-scanner.js';
import { ScanThread, ScanThreadLost, type ScanThreadOptions } from '../logs/scan-thread.js';

export interface StatsOptions extends StatsFlags, LogSourceOptions {}

function usage(message: string, hint = 'see cnm stats --help'): CnmError {
  return new CnmError('usage', message, { hint });
}

function notFound(plan: StatsPlan, sources: StatsSources): CnmError {
  const range = `${new Date(plan.since).toISOString()} to ${new Date(plan.until).toISOString()}`;
  const outside = sources.outOfRange ? `; ${sources.outOfRange} request(s) outside it` : '';
  return new CnmError(
    'not-found',
    `no request in the sources (${sources.describe.join('; ')}) from ${range}${plan.blob ? ` under ${plan.blob}` : ''}${outside}`,
    { hint: 'widen --since/--until (the default is the last 24 hours), or check --blob and the paths' },
  );
}

/**
 * CNM_STATS_JUDGE_HERE: how many failures are judged on the main thread before the worker takes the rest (tests
 * set it low, so a small log goes through the worker too).
 */
function judgeSizes(ctx: Context): Pick<WorkerJudgeOptions, 'here'> {
  const here = Number(ctx.env.CNM_STATS_JUDGE_HERE);
  return Number.isInteger(here) && here >= 0 ? { here } : {};
}

/**
 * CNM_STATS_SCAN_HERE: how many batches of a big `$logs` file the main thread reads before the scan thread takes
 * over, however soon it has started (tests set it, so a small log is handed over too).
 */
function scanHere(ctx: Context): Pick<ScanThreadOptions, 'here'> {
  const here = Number(ctx.env.CNM_STATS_SCAN_HERE);
  return Number.isInteger(here) && here >= 1 ? { here } : {};
}

export async function stats(o: StatsOptions, ctx: Context): Promise<StatsReport> {
  const planned = planStats(o);
  if (!planned.ok) throw usage(planned.message, planned.hint);
  const { plan } = planned;
  if (!hasSource(o)) throw usage('no source to read', 'add --logs <path…>, --analytics-logs or --workspace <id>');
  // Once for both counts below: a pipe is copied to a file once, and can be read again.
  const inputs = await inputFiles(o.logs ?? [], ctx);
  try {
    return await count(o, ctx, plan, inputs.files, true);
  } catch (e) {
    // The scan thread failed while it kept the table of blobs seen (it may have changed it for lines not yet
    // counted): counted again from the start, without it.
    if (!(e instanceof ScanThreadLost)) throw e;
    if (ctx.options.debug) ctx.stderr(`stats: ${e.message}; counting again without it`);
    const report = await count(o, ctx, plan, inputs.files, false);
    // Said in the report too: the run took twice as long, and a progress bar started again.
    report.notes.push(`${e.message}: counted again on the main thread alone`);
    return report;
  } finally {
    await inputs.cleanup();
  }
}

async function count(
  o: StatsOptions,
  ctx: Context,
  plan: StatsPlan,
  logs: string[],
  threads: boolean,
): Promise<StatsReport> {
  const grid = new BucketGrid(plan.since, plan.until, plan.bucketMs);
  // Failures' origins judged on a worker thread while the log is read (judge-on-worker.ts), when the bundle has it.
  let judge: WorkerJudge | undefined;
  const script = ctx.workers && new URL('origin-worker.mjs', ctx.workers);
  const trace = ctx.options.debug ? ctx.stderr : undefined;
  // Plain `$logs` reads are counted in the scanner, by the aggregator's own table of blobs seen. Big local `$logs`
  // files are read and scanned on a thread of their own (scan-thread.ts), on the scanner's memory, then shared.
  const scanScript = threads && ctx.workers && o.logs?.length ? new URL('scan-worker.mjs', ctx.workers) : undefined;
  const scanner = new AnalyticsScanner(scanScript && true);
  const thread = scanScript && new ScanThread(scanScript, scanner, { trace, ...scanHere(ctx) });
  const agg = new StatsAggregator(
    grid,
    { blobPrefix: plan.blob, deployedAt: plan.deployedAt },
    undefined,
    script && ((settle) => (judge = new WorkerJudge(settle, { script, trace, ...judgeSizes(ctx) }))),
    scanner.seen,
  );
  let sources: StatsSources;
  try {
    sources = await readStatsSources(
      sourceIo(ctx),
      { logs, given: o.logs ?? [], ...remoteSources(o), plan, scanner, thread },
      agg,
    );
    await judge?.drain();
  } finally {
    await thread?.close();
    await judge?.close();
  }
  sources.outOfRange += agg.outOfRange;
  if (agg.requests === 0) throw notFound(plan, sources);
  return buildStatsReport(agg, {
    version: VERSION,
    sources: sources.describe,
    since: plan.since,
    until: plan.until,
    bucket: plan.bucket,
    top: plan.top,
    deployedAt: plan.deployedAt,
    failAbove: plan.failAbove,
    expectDrop: plan.expectDrop,
    skipped: sources.skipped,
    notes: sources.notes,
    // For the `cnm diagnose` line the report ends with.
    sourceArgs: sourceFlags(o),
  });
}
