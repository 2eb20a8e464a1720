/**
 * Every source `cnm stats` was given, streamed into one sink: local files and folders (files whose path names an
 * hour outside the range are not opened), the `$logs` container (only the hour prefixes in range), a Log
 * Analytics workspace (counted in the service). Returns what was read, for the report's `sources[]` and notes.
 */
import { stat } from 'node:fs/promises';
import type { TimeBounds } from '../core/diagnose/time-options.js';
import type { StatsPlan } from '../core/stats/options.js';
import { fromLogEntry } from '../core/diagnose/observed.js';
import type { AnalyticsScanner } from '../parse/analytics-scanner.js';
import { lineEntryOf } from '../parse/formats.js';
import { totalBytes } from './local-source.js';
import type { ScanThread } from './scan-thread.js';
import { StatsReader, type OrderCounter, type StatsSink } from './stats-files.js';
import type { SearchIo } from './search.js';
import { walkLogPaths } from './walk.js';

export interface StatsSourcesRequest {
  /** Local paths, readable (pipes already copied), in the order given. */
  logs: string[];
  /** The same paths as the user typed them, for messages. */
  given: string[];
  analytics?: { container: string };
  workspace?: { id: string; endpoint?: string };
  plan: StatsPlan;
  /** The run's `$logs` scanner, whose table of blobs seen the sink counts by (parse/analytics-fast.ts). */
  scanner?: AnalyticsScanner;
  /** The run's scan thread on that scanner's memory (scan-thread.ts). */
  thread?: ScanThread;
}

export interface StatsSources {
  describe: string[];
  notes: string[];
  skipped: number;
  outOfRange: number;
}

const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;

function boundsOfPlan(plan: StatsPlan): TimeBounds {
  return { from: new Date(plan.since).toISOString(), to: new Date(plan.until).toISOString() };
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** One run's reading: where requests go, what is said of the sources, and the one numbering of requests. */
interface Run {
  io: SearchIo;
  req: StatsSourcesRequest;
  sink: StatsSink;
  out: StatsSources;
  orders: OrderCounter;
}

async function readLocal({ io, req, sink, out, orders }: Run): Promise<void> {
  const walked = await walkLogPaths(req.logs, boundsOfPlan(req.plan));
  const explicit = new Set<string>();
  for (const p of req.logs) if (await isFile(p)) explicit.add(p);
  const progress = io.progress(await totalBytes(walked.files));
  const reader = new StatsReader(sink, progress, orders, req.scanner, req.thread);
  const names = new Map(req.logs.map((f, i) => [f, req.given[i] ?? f]));
  for (const file of walked.files) await reader.file(file, explicit.has(file), names.get(file) ?? file);
  progress.done();
  out.notes.push(...walked.notes, ...reader.read.notes);
  out.skipped += reader.read.skipped;
  out.describe.push(
    `${req.given.join(', ')}: ${reader.read.files} file(s), ${mb(reader.read.bytes)}` +
      (walked.skippedByTime ? `, ${walked.skippedByTime} skipped by their hour` : ''),
  );
}

async function readAnalytics({ io, req, sink, out, orders }: Run): Promise<void> {
  // The SDK loads with it: only on this path.
  const { streamAnalyticsLogs } = await import('./analytics-stream.js');
  const entry = lineEntryOf('analytics-log', 'entries')!;
  const progress = io.progress();
  const reader = new StatsReader(sink, progress, orders, req.scanner);
  const read = await streamAnalyticsLogs(io.access, req.analytics!.container, boundsOfPlan(req.plan), (name, lines) => {
    progress.label(name);
    return reader.lines(name, entry, lines, fromLogEntry);
  });
  progress.done();
  out.notes.push(...read.notes, ...reader.read.notes);
  out.skipped += reader.read.skipped;
  out.describe.push(
    `${read.describe}: ${read.prefixes.length} hour prefixes, ${read.read} of ${read.listed} log blobs read ` +
      `(${read.skippedByMetadata} ruled out by StartTime/EndTime), ${mb(reader.read.bytes)}`,
  );
}

export async function readStatsSources(io: SearchIo, req: StatsSourcesRequest, sink: StatsSink): Promise<StatsSources> {
  const out: StatsSources = { describe: [], notes: [], skipped: 0, outOfRange: 0 };
  // One numbering for every source: a request's order is its identity where its failure is judged.
  const run: Run = { io, req, sink, out, orders: { next: 0 } };
  if (req.logs.length) await readLocal(run);
  if (req.analytics) await readAnalytics(run);
  if (req.workspace) {
    const { countWorkspace } = await import('./workspace-stats.js');
    const ws = await countWorkspace(io.access, req.workspace.id, req.workspace.endpoint, req.plan, sink, run.orders);
    out.notes.push(...ws.notes);
    out.skipped += ws.skipped;
    out.describe.push(ws.describe);
  }
  return out;
}
