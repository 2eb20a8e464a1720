/**
 * Reads one input file by content through the format registry (parse/formats.ts): line formats are streamed
 * through their parser, documents read whole up to a limit. Every reader of files goes through here: replay and
 * preflight (captures), diagnose (whole documents among its logs). Never throws for a bad file: unreadable,
 * empty, unrecognised or invalid input comes back as an issue; bad lines are skipped and counted.
 */
import type { FileIssue, Issue } from '../core/issue.js';
import type { Capture, LogEntry } from '../core/types.js';
import { readDocumentText, readHead } from '../io/bounded-read.js';
import { maxLineBytes } from '../io/chunk-window.js';
import { readLines, type LineStreamOptions } from '../io/line-stream.js';
import { formatOf, headOf, type FormatEntry, type FormatOf } from '../parse/formats.js';
import type { LineParser, ParseResult, SourceFormat } from '../parse/types.js';

/** Issues kept for messages; `skipped` still counts all of them. */
const MAX_KEPT_ISSUES = 20;

export interface Collected<T> {
  values: T[];
  skipped: number;
  issues: FileIssue[];
}

export function toFileIssue(file: string, issue: Issue): FileIssue {
  const out: FileIssue = { file, message: issue.message };
  if (issue.line !== undefined) out.line = issue.line;
  if (issue.path !== undefined) out.path = issue.path;
  return out;
}

function collector<T>(): Collected<T> & { add(results: ParseResult<T>[], file: string): void } {
  return {
    values: [],
    skipped: 0,
    issues: [],
    add(results, file) {
      for (const r of results) {
        if (r.ok) this.values.push(r.value);
        else if (++this.skipped <= MAX_KEPT_ISSUES) this.issues.push(toFileIssue(file, r.issue));
      }
    },
  };
}

/** A line over the length limit: skipped and counted like a malformed one. */
function longLineIssue(lineNo: number): { ok: false; issue: Issue } {
  const mb = Math.round(maxLineBytes() / 2 ** 20);
  return {
    ok: false,
    issue: { line: lineNo, message: `longer than ${mb} MB (CNM_MAX_LINE_MB): not a log line, skipped` },
  };
}

/** Streams `file` through a line parser; blank lines are not records and are not counted. */
export async function runLineParser<T>(
  file: string,
  parser: LineParser<T>,
  options: LineStreamOptions = {},
): Promise<Collected<T>> {
  const out = collector<T>();
  for await (const l of readLines(file, options)) {
    if ('tooLong' in l) out.add([longLineIssue(l.lineNo)], file);
    else if (l.line.trim() !== '') out.add(parser.push(l.line, l.lineNo), file);
  }
  out.add(parser.end(), file);
  return { values: out.values, skipped: out.skipped, issues: out.issues };
}

export interface ReadOptions<T> extends LineStreamOptions {
  /** Line formats: keep only the records this accepts, dropped as they are parsed rather than held to the end. */
  keep?: (value: T) => boolean;
}

/** Every record of `file` in the format `entry` names. */
export async function readRecords<T>(
  file: string,
  entry: FormatOf<T>,
  options: ReadOptions<T> = {},
): Promise<Collected<T> | FileIssue> {
  if (entry.shape === 'document') {
    const read = await readDocumentText(file, entry.what);
    if (!read.ok) return read.issue;
    const result = await entry.parse(read.text, file);
    if (!result.ok) return toFileIssue(file, result.issue);
    return { ...result.value, issues: result.value.issues.slice(0, MAX_KEPT_ISSUES).map((i) => toFileIssue(file, i)) };
  }
  const parser = await entry.parser(file);
  const { keep } = options;
  if (!keep) return runLineParser(file, parser, options);
  const picked = (results: ParseResult<T>[]) => results.filter((r) => !r.ok || keep(r.value));
  return runLineParser(
    file,
    { push: (line, lineNo) => picked(parser.push(line, lineNo)), end: () => picked(parser.end()) },
    options,
  );
}

/**
 * The registry entry of `file`, by its first bytes; an issue when it is unreadable, empty or none cnm reads
 * (`expected` says what the caller reads, e.g. "$logs lines, resource-log records or a capture format").
 */
export async function detectFile(
  file: string,
  expected: string,
): Promise<{ ok: true; entry: FormatEntry } | { ok: false; issue: FileIssue }> {
  const head = await readHead(file);
  if (!head.ok) return head;
  const entry = formatOf(headOf(head.head));
  return entry
    ? { ok: true, entry }
    : { ok: false, issue: { file, message: `unrecognised content: expected ${expected}` } };
}

export type ReadSourceResult =
  | {
      ok: true;
      entry: FormatEntry;
      format: SourceFormat;
      entries: LogEntry[];
      captures: Capture[];
      skipped: number;
      issues: FileIssue[];
    }
  | { ok: false; issue: FileIssue };

const LOGS_EXPECTED = '$logs lines, resource-log records or a capture format';

/** The whole of one file, whatever it holds: log entries or captures. */
export async function readSource(file: string, options: LineStreamOptions = {}): Promise<ReadSourceResult> {
  const detected = await detectFile(file, LOGS_EXPECTED);
  if (!detected.ok) return detected;
  const { entry } = detected;
  try {
    if (entry.yields === 'entries') {
      const read = await readRecords(file, entry, options);
      if (!('values' in read)) return { ok: false, issue: read };
      return {
        ok: true,
        entry,
        format: entry.format,
        entries: read.values,
        captures: [],
        skipped: read.skipped,
        issues: read.issues,
      };
    }
    const read = await readRecords(file, entry, options);
    if (!('values' in read)) return { ok: false, issue: read };
    return {
      ok: true,
      entry,
      format: entry.format,
      entries: [],
      captures: read.values,
      skipped: read.skipped,
      issues: read.issues,
    };
  } catch (err) {
    return {
      ok: false,
      issue: { file, message: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` },
    };
  }
}
