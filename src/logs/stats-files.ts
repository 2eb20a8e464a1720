/**
 * `cnm stats --logs`: every request of every file, read by content through the same registry and parsers as
 * diagnose (read-source.ts), streamed into a sink a record at a time: nothing is held but the sink's counts.
 * Malformed lines are skipped and counted; a file named on the command line that cnm cannot read is an input
 * error (exit 2), one met in a folder a note.
 */
import { CnmError } from '../core/errors.js';
import { fromCapture, fromLogEntry } from '../core/diagnose/observed.js';
import type { Observed } from '../core/diagnose/types.js';
import type { FileIssue } from '../core/issue.js';
import type { Progress } from '../core/progress.js';
import type { Capture } from '../core/types.js';
import type { Line } from '../io/chunk-window.js';
import { readLines, type LongLine } from '../io/line-stream.js';
import type { FormatOf, LineFormat } from '../parse/formats.js';
import type { ParseResult } from '../parse/types.js';
import { detectFile, readRecords } from './read-source.js';

export interface StatsSink {
  /** One request, or `n` alike (a row a workspace already counted). */
  add(o: Observed, n?: number): void;
}

export interface StatsRead {
  files: number;
  bytes: number;
  skipped: number;
  notes: string[];
}

const EXPECTED = '$logs lines, resource-log records or a capture format';
/** Skipped lines named in notes, per file; the rest are only counted. */
const NAMED_ISSUES = 3;

async function azuriteConverter(): Promise<(c: Capture, n: number) => Observed> {
  const { azuriteClientIp } = await import('../parse/azurite-log.js');
  return (c, n) => fromCapture(c, n, azuriteClientIp(c));
}

export class StatsReader {
  readonly read: StatsRead = { files: 0, bytes: 0, skipped: 0, notes: [] };
  private order = 0;

  constructor(
    private readonly sink: StatsSink,
    private readonly progress: Progress,
  ) {}

  private issue(file: string, issue: FileIssue | { line?: number; message: string }, named: { n: number }): void {
    this.read.skipped++;
    if (named.n++ < NAMED_ISSUES)
      this.read.notes.push(`skipped ${file}${issue.line ? `:${issue.line}` : ''}: ${issue.message}`);
  }

  /** `explicit`: named on the command line, so a file cnm cannot read stops the run. */
  async file(file: string, explicit: boolean, name = file): Promise<void> {
    this.progress.label(name);
    const detected = await detectFile(file, EXPECTED);
    if (!detected.ok) {
      const { message, line, path } = detected.issue;
      if (explicit)
        throw new CnmError('input', message, {
          location: { file: name, line, path },
          hint: 'stats reads $logs lines, resource-log records (PT1H.json) and the capture formats (see docs/formats.md)',
        });
      this.read.notes.push(`skipped ${name}: ${message}`);
      return;
    }
    const { entry } = detected;
    if (entry.yields === 'entries') return this.records(file, name, entry, fromLogEntry);
    const to = entry.format === 'azurite-log' ? await azuriteConverter() : (c: Capture, n: number) => fromCapture(c, n);
    return this.records(file, name, entry, to);
  }

  private async records<T>(
    file: string,
    name: string,
    entry: FormatOf<T>,
    to: (value: T, order: number) => Observed,
  ): Promise<void> {
    const named = { n: 0 };
    if (entry.shape === 'document') {
      this.read.files++;
      const records = await readRecords(file, entry);
      if (!('values' in records)) {
        this.read.notes.push(`skipped ${name}: ${records.message}`);
        return;
      }
      for (const v of records.values) this.sink.add(to(v, this.order++));
      for (const i of records.issues) this.issue(name, i, named);
      this.read.skipped += records.skipped - records.issues.length;
      return;
    }
    await this.lines(name, entry, readLines(file), to);
  }

  /** Lines of a line format, from a file or a download, through its parser into the sink. */
  async lines<T>(
    name: string,
    entry: LineFormat<T>,
    lines: AsyncIterable<Line | LongLine>,
    to: (value: T, order: number) => Observed,
  ): Promise<void> {
    this.read.files++;
    const named = { n: 0 };
    const parser = await entry.parser(name);
    const take = (results: ParseResult<T>[]) => {
      for (const r of results) {
        if (r.ok) this.sink.add(to(r.value, this.order++));
        else this.issue(name, r.issue, named);
      }
    };
    let bytes = 0;
    for await (const l of lines) {
      if ('tooLong' in l) {
        this.issue(name, { line: l.lineNo, message: 'longer than the line limit (CNM_MAX_LINE_MB): skipped' }, named);
        continue;
      }
      bytes += l.line.length + 1;
      if (bytes > 1 << 20) {
        this.progress.bytes(bytes);
        this.read.bytes += bytes;
        bytes = 0;
      }
      if (l.line.trim() !== '') take(parser.push(l.line, l.lineNo));
    }
    take(parser.end());
    this.progress.bytes(bytes);
    this.read.bytes += bytes;
  }
}
