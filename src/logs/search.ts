/**
 * Every source `diagnose` was given, searched for one request id: local files and folders, the `$logs`
 * container, a Log Analytics workspace. Returns what was seen and what was searched (for the not-found
 * message and the report), then widens the local line logs to the failed request's blob.
 */
import { CnmError } from '../core/errors.js';
import type { AzureAccess } from '../azure/access.js';
import type { Progress } from '../core/progress.js';
import type { TimeBounds } from '../core/diagnose/time-options.js';
import type { Observed, SearchSummary } from '../core/diagnose/types.js';
import { searchFiles, searchLocal, totalBytes, widenLocal } from './local-source.js';
import type { FileScan, Sequence } from './scan-log-file.js';
import { carriesId } from '../core/diagnose/observed.js';
import { withinBounds } from '../core/diagnose/within-bounds.js';

export interface SearchRequest {
  id: string;
  /** Files named on the command line: a bad one is an input error (exit 2), a bad one in a folder only a note. */
  explicitFiles: string[];
  logs: string[];
  analytics?: { container: string };
  workspace?: { id: string; endpoint?: string };
  bounds: TimeBounds;
  windowMs: number;
}

/** What the search needs from its caller: Azure access for the $logs container and the workspace, and progress. */
export interface SearchIo {
  access: AzureAccess;
  progress: (totalBytes?: number) => Progress;
  /** Clean-up that must also run on Ctrl-C (the downloaded $logs copies); returns its unregister. */
  onExit: (task: () => Promise<void>) => () => void;
}

export interface SearchOutcome {
  observed: Observed[];
  scans: FileScan[];
  summary: SearchSummary;
  notes: string[];
  cleanup: () => Promise<void>;
}

function sequence(): Sequence {
  let n = 0;
  return { next: () => n++ };
}

function checkFiles(scans: readonly FileScan[], explicit: readonly string[], notes: string[]): void {
  for (const s of scans) {
    if (!s.failed) continue;
    const { message, file, line, path } = s.failed;
    if (explicit.includes(s.file))
      throw new CnmError('input', message, {
        location: { file, line, path },
        hint: 'diagnose reads $logs lines, resource-log records (PT1H.json) and the capture formats (see docs/formats.md)',
      });
    notes.push(`skipped ${file}: ${message}`);
  }
}

async function searchAnalytics(io: SearchIo, req: SearchRequest, seq: Sequence, out: SearchOutcome): Promise<void> {
  // The SDK loads with it: only on this path.
  const { downloadAnalyticsLogs } = await import('./analytics-container.js');
  const dl = await downloadAnalyticsLogs(io.access, req.analytics!.container, req.bounds, io.onExit);
  const previous = out.cleanup;
  out.cleanup = async () => {
    await previous();
    await dl.cleanup();
  };
  const progress = io.progress(await totalBytes(dl.files));
  const scans = await searchFiles(dl.files, req.id, seq, progress, req.windowMs);
  progress.done();
  for (const s of scans) {
    const name = dl.names[s.file];
    for (const o of s.observed) if (name) o.source = { ...o.source, file: name };
  }
  out.scans.push(...scans);
  out.observed.push(...scans.flatMap((s) => s.observed));
  out.summary.files += dl.files.length;
  out.summary.bytes += scans.reduce((a, s) => a + s.bytes, 0);
  out.summary.sources.push(
    `${dl.describe}: ${dl.prefixes.length} hour prefixes (${dl.prefixes[0]} … ${dl.prefixes.at(-1)}), ` +
      `${dl.listed} log blobs listed, ${dl.skippedByMetadata} ruled out by StartTime/EndTime`,
  );
}

export async function searchSources(io: SearchIo, req: SearchRequest): Promise<SearchOutcome> {
  const seq = sequence();
  const out: SearchOutcome = {
    observed: [],
    scans: [],
    summary: { sources: [], from: req.bounds.from, to: req.bounds.to, files: 0, bytes: 0, skippedLines: 0 },
    notes: [],
    cleanup: async () => {},
  };
  const paths = [...req.explicitFiles, ...req.logs];
  if (paths.length) {
    const local = await searchLocal(paths, req.id, req.bounds, seq, io.progress, req.windowMs);
    out.scans.push(...local.scans);
    out.observed.push(...local.observed);
    out.summary.files += local.files;
    out.summary.bytes += local.bytes;
    out.notes.push(...local.notes);
    out.summary.sources.push(
      `${paths.join(', ')}: ${local.files} file(s)${local.skippedByTime ? `, ${local.skippedByTime} skipped by their hour` : ''}`,
    );
  }
  try {
    if (req.analytics) await searchAnalytics(io, req, seq, out);
    if (req.workspace) {
      const { from, to } = req.bounds;
      const now = new Date();
      const { searchWorkspace } = await import('./workspace.js');
      const ws = await searchWorkspace(
        io.access,
        req.workspace.id,
        req.workspace.endpoint,
        {
          id: req.id,
          from: from ?? new Date(now.getTime() - 7 * 86_400_000).toISOString(),
          to: to ?? now.toISOString(),
          windowMs: req.windowMs,
        },
        seq,
      );
      out.observed.push(...ws.observed);
      out.notes.push(...ws.notes);
      out.summary.skippedLines += ws.skipped;
      out.summary.sources.push(`${ws.describe}${from ? '' : ' (last 7 days)'}`);
    }
  } catch (err) {
    await out.cleanup();
    throw err;
  }
  out.observed = withinBounds(out.observed, req.bounds, req.windowMs ?? 0, (o) => carriesId(o, req.id));
  checkFiles(out.scans, req.explicitFiles.concat(await explicitLogFiles(req.logs)), out.notes);
  out.summary.skippedLines += out.scans.reduce((a, s) => a + s.skipped, 0);
  for (const s of out.scans)
    for (const i of s.issues.slice(0, 3))
      out.notes.push(`skipped ${i.file}${i.line ? `:${i.line}` : ''}${i.path ? ` ${i.path}` : ''}: ${i.message}`);
  return out;
}

async function explicitLogFiles(logs: readonly string[]): Promise<string[]> {
  const { stat } = await import('node:fs/promises');
  const out: string[] = [];
  for (const p of logs) if ((await stat(p).catch(() => undefined))?.isFile()) out.push(p);
  return out;
}

export async function widen(outcome: SearchOutcome, target: Observed, windowMs: number): Promise<Observed[]> {
  let n = 1_000_000_000;
  return widenLocal(outcome.scans, target, windowMs, { next: () => n++ });
}
