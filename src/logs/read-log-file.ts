/**
 * Reads one `diagnose --logs` file by content (SPEC §5): Storage Analytics `$logs` lines, resource-log
 * records (PT1H.json), or any capture format, all of it. `diagnose` searches the line formats as raw bytes
 * instead (scan-log-file.ts) and comes here only for whole documents.
 */
import type { Capture } from '../core/types.js';
import { parseAnalyticsLine } from '../parse/storage-analytics-log.js';
import { detectFormat } from '../parse/detect-format.js';
import { parseResourceLogDocument, parseResourceLogLine } from '../parse/resource-log.js';
import type { LineParser, LogEntry, SourceFormat } from '../parse/types.js';
import type { LineStreamOptions } from '../io/line-stream.js';
import { readCaptureFile } from './read-capture-file.js';
import { collector, readDocumentText, readHead, runLineParser, statelessParser, toFileIssue, type Collected, type FileIssue } from './source-helpers.js';

export type ReadLogOptions = LineStreamOptions;

export type ReadLogResult =
  | { ok: true; format: SourceFormat; entries: LogEntry[]; captures: Capture[]; skipped: number; issues: FileIssue[] }
  | { ok: false; issue: FileIssue };

function lineParserFor(format: 'analytics-log' | 'resource-log', file: string): LineParser<LogEntry> {
  const parse = format === 'analytics-log' ? parseAnalyticsLine : parseResourceLogLine;
  return statelessParser((line, lineNo) => parse(line, lineNo, file));
}

/** PT1H.json is one record a line; an array or a pretty-printed record has to be read whole. */
function isRecordPerLine(head: string): boolean {
  const first = head.replace(/^\uFEFF/, '').split('\n').find((l) => l.trim() !== '') ?? '';
  try {
    const value: unknown = JSON.parse(first);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !('records' in value);
  } catch {
    return false;
  }
}

async function readDocument(file: string): Promise<Collected<LogEntry> | FileIssue> {
  const read = await readDocumentText(file, 'a resource-log document (an array or {records:[…]})');
  if (!read.ok) return read.issue;
  const result = parseResourceLogDocument(read.text, file);
  if (!result.ok) return toFileIssue(file, result.issue);
  const out = collector<LogEntry>();
  out.add(result.value.issues.map((issue) => ({ ok: false as const, issue })), file);
  return { values: result.value.entries, skipped: out.skipped, issues: out.issues };
}

async function readEntries(file: string, format: 'analytics-log' | 'resource-log', head: string, options: ReadLogOptions) {
  if (format === 'resource-log' && !isRecordPerLine(head)) return readDocument(file);
  const parser = lineParserFor(format, file);
  return runLineParser(file, parser, options);
}

/** Never throws for a bad file: unreadable, empty or unrecognised input is an issue; bad lines are counted. */
export async function readLogFile(file: string, options: ReadLogOptions = {}): Promise<ReadLogResult> {
  const head = await readHead(file);
  if (!head.ok) return head;
  const format = detectFormat(head.head);
  if (format === undefined) return { ok: false, issue: { file, message: 'unrecognised content: expected $logs lines, resource-log records or a capture format' } };
  if (format !== 'analytics-log' && format !== 'resource-log') {
    // Capture formats carry whole requests; the caller picks what it needs from all of them (diagnose reads
    // the line formats through src/logs/scan-capture-lines.ts instead, which keeps only what it needs).
    const read = await readCaptureFile(file, { ...options, all: true });
    return read.ok ? { ...read, entries: [] } : read;
  }
  try {
    const read = await readEntries(file, format, head.head, options);
    if (!('values' in read)) return { ok: false, issue: read };
    return { ok: true, format, entries: read.values, captures: [], skipped: read.skipped, issues: read.issues };
  } catch (err) {
    return { ok: false, issue: { file, message: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` } };
  }
}

