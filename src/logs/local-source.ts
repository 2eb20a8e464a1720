/**
 * `--logs <path…>`: one pass searches every file's raw bytes for the id (and reads capture files whole);
 * the moment an id line names its blob, the blob's needles join the search for the rest of its window,
 * in that file and the next ones. The second pass, once the failed request is picked, re-reads only the
 * parts of the line-format logs near its time that the first pass did not already search for its blob
 * (in one time-ordered file: the few minutes before the hit).
 */
import { stat } from 'node:fs/promises';
import { hourInBounds, type TimeBounds } from '../core/diagnose/time-options.js';
import type { Observed } from '../core/diagnose/types.js';
import { hourOfPath } from './path-hour.js';
import type { Progress } from '../core/progress.js';
import {
  blobNeedles,
  Follow,
  rangesNear,
  scanLines,
  scanLogFile,
  subtractCovered,
  type FileScan,
  type Sequence,
} from './scan-log-file.js';
import { walkLogPaths } from './walk.js';
import { lineEntryOf } from '../parse/formats.js';

export interface LocalSearch {
  scans: FileScan[];
  observed: Observed[];
  files: number;
  bytes: number;
  skippedByTime: number;
  /** Folders that could not be listed and entries that are no file: passed over, said in the report. */
  notes: string[];
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
  const sizes = await Promise.all(
    files.map((f) =>
      stat(f).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

/** `windowMs` given: the id lines' blobs are followed in the same pass (see Follow). */
export async function searchFiles(
  files: readonly string[],
  id: string,
  seq: Sequence,
  progress: Progress,
  windowMs?: number,
): Promise<FileScan[]> {
  const scans: FileScan[] = [];
  const follow = windowMs === undefined ? undefined : new Follow(windowMs);
  for (const file of files) {
    progress.label(file);
    scans.push(await scanLogFile(file, idNeedles(id), seq, (n) => progress.bytes(n), follow));
  }
  return scans;
}

export async function searchLocal(
  paths: readonly string[],
  id: string,
  bounds: TimeBounds,
  seq: Sequence,
  progress: (total: number) => Progress,
  windowMs?: number,
): Promise<LocalSearch> {
  const walked = await walkLogPaths(paths, bounds);
  const p = progress(await totalBytes(walked.files));
  const scans = await searchFiles(walked.files, id, seq, p, windowMs);
  p.done();
  return {
    scans,
    observed: scans.flatMap((s) => s.observed),
    files: walked.files.length,
    bytes: scans.reduce((a, s) => a + s.bytes, 0),
    skippedByTime: walked.skippedByTime,
    notes: walked.notes,
  };
}

/**
 * Second pass: the blob's requests near `target`, from the line-format files of the first pass: what the
 * first pass found following the blob, plus the ranges near `target` it did not search for it.
 */
export async function widenLocal(
  scans: readonly FileScan[],
  target: Observed,
  windowMs: number,
  seq: Sequence,
): Promise<Observed[]> {
  if (!target.blobKey) return [];
  const needles = blobNeedles(target.blobKey);
  const t = target.time ? Date.parse(target.time) : undefined;
  const out: Observed[] = [];
  for (const s of scans) {
    if (s.format === 'ndjson' || s.format === 'azurite-log' || s.format === 'sdk-log') {
      // Its parsers (and the schema library) load only when such a file was met.
      const { widenCaptureLines } = await import('./scan-capture-lines.js');
      out.push(...(await widenCaptureLines(s, target, windowMs)));
      continue;
    }
    const entry = lineEntryOf(s.format, 'entries');
    if (s.complete || !s.marks || !entry) continue;
    const hour = hourOfPath(s.file);
    if (
      t !== undefined &&
      hour !== undefined &&
      !hourInBounds(hour, { from: new Date(t - windowMs).toISOString(), to: new Date(t + windowMs).toISOString() })
    )
      continue;
    const near = t === undefined ? [{ from: { offset: 0, lineNo: 1 } }] : rangesNear(s.marks, t, windowMs);
    const covered = s.followed?.covered.filter((c) => c.key === target.blobKey) ?? [];
    if (covered.length) out.push(...s.followed!.observed.filter((o) => o.blobKey === target.blobKey));
    for (const range of subtractCovered(near, covered)) {
      const r = await scanLines(s.file, entry, needles, seq, range);
      out.push(...r.observed.filter((o) => o.blobKey === target.blobKey));
    }
  }
  return out;
}
