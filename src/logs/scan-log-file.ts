/**
 * One `--logs` file, read by content. Line formats ($logs, PT1H.json) are searched as raw bytes for the
 * needles and only matching lines are parsed; capture formats (HAR, SDK/Azurite logs, captures) and
 * whole-document resource logs are small and read through src/io as they are.
 */
import type { Observed } from '../core/diagnose/types.js';
import { fromCapture, fromLogEntry } from '../core/diagnose/observed.js';
import { indexedScan, type ScanMark } from '../io/indexed-scan.js';
import { readLogFile } from '../io/read-log-file.js';
import { readHead } from '../io/source-helpers.js';
import { parseAnalyticsLine } from '../parse/analytics-log.js';
import { detectFormat } from '../parse/detect-format.js';
import { parseResourceLogLine } from '../parse/resource-log.js';
import type { LogEntry, ParseResult, SourceFormat } from '../parse/types.js';

export interface FileIssueLike {
  file: string;
  line?: number;
  path?: string;
  message: string;
}

export interface FileScan {
  file: string;
  format?: SourceFormat;
  observed: Observed[];
  skipped: number;
  issues: FileIssueLike[];
  bytes: number;
  /** Set for line formats: what a second, time-bounded pass needs. */
  marks?: ScanMark[];
  /** Every record was read (capture formats): a second pass would find nothing new. */
  complete: boolean;
  /** The whole file could not be used (unreadable, empty, unrecognised, invalid). */
  failed?: FileIssueLike;
}

export interface Sequence {
  next(): number;
}

type LineFormat = 'analytics-log' | 'resource-log';

function parserOf(format: LineFormat): (line: string, lineNo: number, file: string) => ParseResult<LogEntry> {
  return format === 'analytics-log' ? parseAnalyticsLine : parseResourceLogLine;
}

/** PT1H.json one record a line; an array or pretty-printed record has to go through readLogFile whole. */
function isLineFormat(format: SourceFormat, head: string): format is LineFormat {
  if (format === 'analytics-log') return true;
  if (format !== 'resource-log') return false;
  const first = head.replace(/^\uFEFF/, '').split('\n').find((l) => l.trim() !== '') ?? '';
  return first.trim().startsWith('{') && first.trim().endsWith('}') && !/^\s*\{\s*"records"/.test(first);
}

export async function scanLines(file: string, format: LineFormat, needles: string[], seq: Sequence, range: { from?: ScanMark; to?: number } = {}, onBytes?: (n: number) => void): Promise<FileScan> {
  const scan = await indexedScan(file, needles, { ...range, onBytes });
  const parse = parserOf(format);
  const out: FileScan = { file, format, observed: [], skipped: 0, issues: [], bytes: scan.bytes, marks: scan.marks, complete: false };
  for (const { line, lineNo } of scan.lines) {
    const r = parse(line, lineNo, file);
    if (r.ok) out.observed.push(fromLogEntry(r.value, seq.next()));
    else if (++out.skipped <= 20) out.issues.push({ file, ...r.issue, message: r.issue.message });
  }
  return out;
}

/** First pass over one file: the lines carrying any of `needles`, or every request of a capture-format file. */
export async function scanLogFile(file: string, needles: string[], seq: Sequence, onBytes?: (n: number) => void): Promise<FileScan> {
  const head = await readHead(file);
  if (!head.ok) return { file, observed: [], skipped: 0, issues: [], bytes: 0, complete: true, failed: head.issue };
  const format = detectFormat(head.head);
  if (format && isLineFormat(format, head.head)) return scanLines(file, format, needles, seq, {}, onBytes);
  const read = await readLogFile(file);
  if (!read.ok) return { file, observed: [], skipped: 0, issues: [], bytes: 0, complete: true, failed: read.issue };
  const observed = [...read.entries.map((e) => fromLogEntry(e, seq.next())), ...read.captures.map((c) => fromCapture(c, seq.next()))];
  return { file, format: read.format, observed, skipped: read.skipped, issues: read.issues, bytes: 0, complete: true };
}

const SLACK_MS = 5 * 60_000;

/**
 * Byte ranges of a scanned file whose chunk times come within `windowMs` (plus slack for lines logged out
 * of order) of `t`. Chunks without a time are always included: no time, no reason to skip.
 */
export function rangesNear(marks: readonly ScanMark[], t: number, windowMs: number): Array<{ from: ScanMark; to?: number }> {
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
