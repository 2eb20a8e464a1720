/**
 * `--logs <path…>`: two passes. The first searches every file's raw bytes for the id (and reads capture
 * files whole); the second, once the failed request names its blob and time, re-reads only the parts of
 * the line-format logs whose times are near it, for the blob's other requests.
 */
import { stat } from 'node:fs/promises';
import { hourInBounds, type TimeBounds } from '../core/diagnose/time-options.js';
import type { Observed } from '../core/diagnose/types.js';
import { hourOfPath } from './path-hour.js';
import type { Progress } from './progress.js';
import { rangesNear, scanLines, scanLogFile, type FileScan, type Sequence } from './scan-log-file.js';
import { walkLogPaths } from './walk.js';

export interface LocalSearch {
  scans: FileScan[];
  observed: Observed[];
  files: number;
  bytes: number;
  skippedByTime: number;
}

/**
 * The id as pasted, and lower-case as Azure, Azurite and the SDKs write ids. Every extra needle is one more
 * full search of each chunk, so no other spellings.
 */
export function idNeedles(id: string): string[] {
  const t = id.trim();
  return [...new Set([t, t.toLowerCase()])];
}

export async function totalBytes(files: readonly string[]): Promise<number> {
  const sizes = await Promise.all(files.map((f) => stat(f).then((s) => s.size, () => 0)));
  return sizes.reduce((a, b) => a + b, 0);
}

export async function searchFiles(files: readonly string[], id: string, seq: Sequence, progress: Progress): Promise<FileScan[]> {
  const scans: FileScan[] = [];
  for (const file of files) {
    progress.label(file);
    scans.push(await scanLogFile(file, idNeedles(id), seq, (n) => progress.bytes(n)));
  }
  return scans;
}

export async function searchLocal(paths: readonly string[], id: string, bounds: TimeBounds, seq: Sequence, progress: (total: number) => Progress): Promise<LocalSearch> {
  const walked = await walkLogPaths(paths, bounds);
  const p = progress(await totalBytes(walked.files));
  const scans = await searchFiles(walked.files, id, seq, p);
  p.done();
  return {
    scans,
    observed: scans.flatMap((s) => s.observed),
    files: walked.files.length,
    bytes: scans.reduce((a, s) => a + s.bytes, 0),
    skippedByTime: walked.skippedByTime,
  };
}

/** Needles for one blob: its object key as $logs/resource logs write it, and its URL path. */
export function blobNeedles(blobKey: string): string[] {
  const [, , container, ...rest] = blobKey.split('/');
  const name = rest.join('/');
  const encoded = name.split('/').map(encodeURIComponent).join('/');
  return [...new Set([`/${container}/${name}`, `/${container}/${encoded}`])];
}

/** Second pass: the blob's requests near `target`, from the line-format files of the first pass. */
export async function widenLocal(scans: readonly FileScan[], target: Observed, windowMs: number, seq: Sequence): Promise<Observed[]> {
  if (!target.blobKey) return [];
  const needles = blobNeedles(target.blobKey);
  const t = target.time ? Date.parse(target.time) : undefined;
  const out: Observed[] = [];
  for (const s of scans) {
    if (s.complete || !s.marks || (s.format !== 'analytics-log' && s.format !== 'resource-log')) continue;
    const hour = hourOfPath(s.file);
    if (t !== undefined && hour !== undefined && !hourInBounds(hour, { from: new Date(t - windowMs).toISOString(), to: new Date(t + windowMs).toISOString() })) continue;
    const ranges = t === undefined ? [{ from: { offset: 0, lineNo: 1 } }] : rangesNear(s.marks, t, windowMs);
    for (const range of ranges) {
      const r = await scanLines(s.file, s.format, needles, seq, range);
      out.push(...r.observed.filter((o) => o.blobKey === target.blobKey));
    }
  }
  return out;
}
