/**
 * What a search of one `--logs` file found, and the byte ranges of it near a time: shared by the line-format
 * scan (scan-log-file.ts) and the capture-line scan (scan-capture-lines.ts). Pure bookkeeping.
 */
import type { Observed } from '../core/diagnose/types.js';
import type { FileIssue } from '../core/issue.js';
import type { SourceFormat } from '../parse/types.js';
import type { Covered, ScanMark } from '../io/indexed-scan.js';
import { maxLineBytes } from '../io/chunk-window.js';

/** Lines may be logged out of order by up to this much: every time window is widened by it. */
export const SLACK_MS = 5 * 60_000;

export interface FileScan {
  file: string;
  format?: SourceFormat;
  observed: Observed[];
  skipped: number;
  issues: FileIssue[];
  bytes: number;
  /** Set for line formats: what a second, time-bounded pass needs. */
  marks?: ScanMark[];
  /**
   * Blobs of the id's lines, followed in the same pass: their other lines, and the bytes in which they were
   * searched, so the second pass re-reads only the rest of the window.
   */
  followed?: { observed: Observed[]; covered: Covered[] };
  /** Every record was read (capture formats): a second pass would find nothing new. */
  complete: boolean;
  /** Capture-line formats: the order of the file's first capture; the others follow as fractions of one. */
  orderBase?: number;
  /** The whole file could not be used (unreadable, empty, unrecognised, invalid). */
  failed?: FileIssue;
}

export interface Sequence {
  next(): number;
}

/** Needles for one blob: its object key as $logs/resource logs write it, and its URL path. */
export function blobNeedles(blobKey: string): string[] {
  const [, , container, ...rest] = blobKey.split('/');
  const name = rest.join('/');
  const encoded = name.split('/').map(encodeURIComponent).join('/');
  return [...new Set([`/${container}/${name}`, `/${container}/${encoded}`])];
}

/**
 * Byte ranges of a scanned file whose chunk times come within `windowMs` (plus slack for lines logged out
 * of order) of `t`. Chunks without a time are always included: no time, no reason to skip.
 */
export function rangesNear(
  marks: readonly ScanMark[],
  t: number,
  windowMs: number,
): Array<{ from: ScanMark; to?: number }> {
  const lo = t - windowMs - SLACK_MS;
  const hi = t + windowMs + SLACK_MS;
  const ranges: Array<{ from: ScanMark; to?: number }> = [];
  marks.forEach((m, i) => {
    const next = marks[i + 1];
    const times = [m.time, next?.time].filter((x): x is number => x !== undefined);
    // The last chunk runs to the end of the file: nothing bounds its latest time.
    const latest = next ? Math.max(...times) : Infinity;
    const near = m.time === undefined || (Math.min(...times) <= hi && latest >= lo);
    if (!near) return;
    const last = ranges.at(-1);
    if (last && last.to === m.offset) last.to = next?.offset;
    else ranges.push({ from: m, to: next?.offset });
  });
  return ranges;
}

/** `ranges` without the bytes `covered` (both start at line starts; `to` absent = the end of the file). */
export function subtractCovered(
  ranges: ReadonlyArray<{ from: ScanMark; to?: number }>,
  covered: readonly Covered[],
): Array<{ from: ScanMark; to?: number }> {
  let out = [...ranges];
  for (const c of covered) {
    const cFrom = c.from.offset;
    const cTo = c.to?.offset ?? Infinity;
    if (cTo <= cFrom) continue;
    out = out.flatMap((r) => {
      const rTo = r.to ?? Infinity;
      if (rTo <= cFrom || r.from.offset >= cTo) return [r];
      const pieces: Array<{ from: ScanMark; to?: number }> = [];
      if (r.from.offset < cFrom) pieces.push({ from: r.from, to: cFrom });
      if (cTo < rTo) pieces.push({ from: c.to!, ...(r.to === undefined ? {} : { to: r.to }) });
      return pieces;
    });
  }
  return out;
}

/** Issues kept for messages; `skipped` still counts all of them. */
const MAX_KEPT_ISSUES = 20;

/** Lines past the length limit, passed over by the scan: skipped and counted like malformed ones. */
export function noteLongLines(scan: FileScan, lines: readonly number[]): void {
  const mb = Math.round(maxLineBytes() / 2 ** 20);
  for (const line of lines) {
    if (++scan.skipped <= MAX_KEPT_ISSUES) {
      scan.issues.push({
        file: scan.file,
        line,
        message: `longer than ${mb} MB (CNM_MAX_LINE_MB): not a log line, skipped`,
      });
    }
  }
}
