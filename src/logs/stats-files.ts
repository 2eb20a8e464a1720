/**
 * `cnm stats --logs`: every request of every file, read by content through the same registry and parsers as
 * diagnose (read-source.ts), streamed into a sink a record at a time: nothing is held but the sink's counts.
 * `$logs` lines take the fast path (parse/analytics-fast.ts): their counted fields read from the bytes.
 * Malformed lines are skipped and counted; a file named on the command line that cnm cannot read is an input
 * error (exit 2), one met in a folder a note.
 */
import { CnmError } from '../core/errors.js';
import { fromCapture, fromLogEntry } from '../core/diagnose/observed.js';
import type { Observed } from '../core/diagnose/types.js';
import type { FileIssue } from '../core/issue.js';
import type { Progress } from '../core/progress.js';
import type { Capture } from '../core/types.js';
import { stat } from 'node:fs/promises';
import { rawLineBatches } from '../io/line-stream.js';
import { AnalyticsLines } from '../parse/analytics-fast.js';
import type { AnalyticsScanner } from '../parse/analytics-scanner.js';
import type { CountedReads, ReadPlan } from '../core/stats/read-plan.js';
import type { SeenState } from '../core/stats/seen-blobs.js';
import type { StatsRecord } from '../core/stats/record.js';
import type { FormatOf, LineFormat } from '../parse/formats.js';
import type { ParseResult } from '../parse/types.js';
import { detectFile, readRecords } from './read-source.js';
import type { ScanThread, ScannedBatch } from './scan-thread.js';

export interface StatsSink {
  /** One request, or `n` alike (a row a workspace already counted). */
  add(o: Observed, n?: number): void;
  /** One request read by a fast path. */
  count(r: StatsRecord): void;
  /**
   * A read (no failure, no 304, no write) of the blob whose key hashes to `keyHash`, counted from these alone when
   * it can be; false when the sink needs its record (`count`).
   */
  countRead?(time: number, keyHash: number, conditional: boolean): boolean;
  /**
   * How a scanner may count plain reads itself, as countRead would (undefined: it may not); the scanner's counts
   * come back through addReads.
   */
  readPlan?(): ReadPlan | undefined;
  addReads?(r: CountedReads): void;
  /** A promise while the sink is too far behind: read on when it settles. */
  pace?(): Promise<void> | undefined;
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

/**
 * The bytes of a batch's lines, each with its line break (a line too long to read is not counted): the same however
 * the file was cut into batches (by chunk, or by thread).
 */
function lineBytes(spans: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < spans.length; i += 2) if (spans[i]! >= 0) n += spans[i + 1]! - spans[i]! + 1;
  return n;
}

/**
 * Numbers every request of a run in the order read, across all its sources: a request's order is its identity
 * where it is judged (judge-item.ts) and breaks ties between equal times.
 */
export interface OrderCounter {
  next: number;
}

export class StatsReader {
  readonly read: StatsRead = { files: 0, bytes: 0, skipped: 0, notes: [] };

  constructor(
    private readonly sink: StatsSink,
    private readonly progress: Progress,
    private readonly orders: OrderCounter = { next: 0 },
    /** The run's `$logs` scanner: plain reads are counted in it when the sink's table of blobs seen is its own. */
    private readonly scanner?: AnalyticsScanner,
    /**
     * The run's scan thread (on the scanner's memory): big `$logs` files are read on it, the others into its buffers
     * in that memory (its worker starts with the first big one).
     */
    private readonly thread?: ScanThread,
  ) {}

  /**
   * A `$logs` file at least this big is read on the scan thread (CNM_STATS_SCAN_THREAD_MB; tests set 0). The worker's
   * start (~90 ms here) and its pages cost more than it saves on less: measured on the 2-core machine, 100 MB was
   * 25 ms slower on it, 170 MB 17 ms slower, 250 MB 24 ms faster, 600 MB 180 ms faster.
   */
  private static threadBytes(): number {
    const mb = Number(process.env.CNM_STATS_SCAN_THREAD_MB);
    return (Number.isFinite(mb) && mb >= 0 ? mb : 200) * 2 ** 20;
  }

  /** How plain reads are counted in the scanner itself: when the sink counts by the scanner's table of blobs seen. */
  private tallyPlan(): ReadPlan | undefined {
    const plan = this.scanner && this.sink.readPlan?.();
    return plan && plan.seen === this.scanner.seen && this.sink.addReads ? plan : undefined;
  }

  private async batchesOf(file: string, format: string): Promise<AsyncIterable<ScannedBatch>> {
    const thread = format === 'analytics-log' ? this.thread : undefined;
    const s = thread && (await stat(file));
    if (thread && s?.isFile()) {
      if (s.size >= StatsReader.threadBytes() && thread.usable) {
        // The scan thread counts the plain reads too, and keeps the table of blobs seen, when the sink's plan allows.
        const plan = this.tallyPlan();
        const grid = plan?.grid;
        const tally = grid && { since: grid.since, until: grid.until, size: grid.size, deployedAt: plan.deployedAt };
        return thread.batches(file, undefined, tally);
      }
      const here = thread.here(file);
      if (here) return here;
    }
    return rawLineBatches(file);
  }

  private issue(
    file: string,
    issue: FileIssue | { line?: number; path?: string; message: string },
    named: { n: number },
  ): void {
    this.read.skipped++;
    // The field too (a record's `operationName` of the wrong type), as every other input error names it.
    if (named.n++ < NAMED_ISSUES)
      this.read.notes.push(
        `skipped ${file}${issue.line ? `:${issue.line}` : ''}${issue.path ? ` ${issue.path}` : ''}: ${issue.message}`,
      );
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
    if (entry.yields === 'entries') return this.records(file, name, explicit, entry, fromLogEntry);
    const to = entry.format === 'azurite-log' ? await azuriteConverter() : (c: Capture, n: number) => fromCapture(c, n);
    return this.records(file, name, explicit, entry, to);
  }

  private async records<T>(
    file: string,
    name: string,
    explicit: boolean,
    entry: FormatOf<T>,
    to: (value: T, order: number) => Observed,
  ): Promise<void> {
    const named = { n: 0 };
    if (entry.shape === 'document') {
      this.read.files++;
      const records = await readRecords(file, entry);
      if (!('values' in records)) {
        const { message, line, path } = records;
        if (explicit) throw new CnmError('input', message, { location: { file: name, line, path } });
        this.read.notes.push(`skipped ${name}: ${message}`);
        return;
      }
      for (const [i, v] of records.values.entries()) {
        this.sink.add(to(v, this.orders.next++));
        if (i % 1024 === 1023) await this.sink.pace?.();
      }
      for (const i of records.issues) this.issue(name, i, named);
      this.read.skipped += records.skipped - records.issues.length;
      return;
    }
    await this.lines(name, entry, await this.batchesOf(file, entry.format), to);
  }

  /** Lines of a line format, from a file or a download, through its parser into the sink. */
  async lines<T>(
    name: string,
    entry: LineFormat<T>,
    batches: AsyncIterable<ScannedBatch>,
    to: (value: T, order: number) => Observed,
  ): Promise<void> {
    this.read.files++;
    const named = { n: 0 };
    const parser = await entry.parser(name);
    const take = (results: ParseResult<T>[]) => {
      for (const r of results) {
        if (r.ok) this.sink.add(to(r.value, this.orders.next++));
        else this.issue(name, r.issue, named);
      }
    };
    // $logs lines: the counted fields read from the bytes, the full parse only when the fast path is unsure.
    const fast = entry.format === 'analytics-log' ? new AnalyticsLines(this.scanner) : undefined;
    const countRead = this.sink.countRead?.bind(this.sink);
    // Plain reads counted in the scanner itself, when the sink counts by the scanner's table of blobs seen.
    const tally = fast && this.tallyPlan();
    const seen = this.scanner?.seen;
    /** Line `l` of the batch being read: counted by the fast path, else parsed in full. */
    const one = (window: Buffer, spans: ArrayLike<number>, l: number, lineNo: number): void => {
      const start = spans[2 * l]!;
      const end = spans[2 * l + 1]!;
      if (start < 0) {
        this.issue(name, { line: lineNo, message: 'longer than the line limit (CNM_MAX_LINE_MB): skipped' }, named);
        return;
      }
      if (fast) {
        const read = countRead && fast.light(l);
        if (read && countRead(read.time, read.keyHash, read.conditional)) {
          this.orders.next++;
          return;
        }
        const record = fast.record(l, lineNo, name, this.orders.next);
        if (record) {
          this.orders.next++;
          this.sink.count(record);
          return;
        }
      }
      const line = window.toString('utf8', start, end);
      if (line.trim() !== '') take(parser.push(line, lineNo));
    };
    try {
      for await (const { window, spans, firstLineNo, scanned, left } of batches) {
        const bytes = lineBytes(spans);
        const lines = spans.length >> 1;
        if (left && fast && seen) {
          // The scan thread counted the rest, in order: each takes its number. What it left is counted here, the
          // table told each blob's state before it (the thread has changed the table already).
          let next = 0;
          let to = 0;
          if (scanned && left.length) fast.adopt(window, spans as Int32Array, scanned.outAt, scanned.lines, false);
          for (let k = 0; k < left.length; k++) {
            const l = left[k]! >>> 2;
            if (!scanned && l >= to) {
              // A window sent as read: scanned here, a slice at a time.
              const from = l - (l % AnalyticsLines.MAX_LINES);
              to = Math.min(lines, from + AnalyticsLines.MAX_LINES);
              fast.scan(window, spans, from, to);
            }
            this.orders.next += l - next;
            seen.tell((left[k]! & 3) as SeenState);
            one(window, spans, l, firstLineNo + l);
            next = l + 1;
          }
          seen.tell(-1);
          this.orders.next += lines - next;
        } else {
          // Scanned a slice at a time: the scanner's output per line is bounded, the lines in a window are not. (The
          // scan thread's batches come scanned, a slice each.)
          for (let from = 0; from < lines; from += AnalyticsLines.MAX_LINES) {
            const to = Math.min(lines, from + AnalyticsLines.MAX_LINES);
            if (scanned) fast?.adopt(window, spans as Int32Array, scanned.outAt, scanned.lines);
            else fast?.scan(window, spans, from, to);
            for (let l = from; l < to; l++) {
              if (tally) {
                // Every line it counts is a request, in order: each takes its number.
                const stop = fast.tally(l, to, tally);
                this.orders.next += stop - l;
                if ((l = stop) === to) break;
              }
              one(window, spans, l, firstLineNo + l);
            }
          }
        }
        this.progress.bytes(bytes);
        this.read.bytes += bytes;
        const behind = this.sink.pace?.();
        if (behind) await behind;
      }
    } finally {
      seen?.tell(-1);
      // What the scanner counted goes to the sink even when the file ends in an error: the counts are the sink's.
      if (tally) this.sink.addReads!(this.scanner!.takeCounts(tally.grid.count));
    }
    take(parser.end());
  }
}
