/**
 * A needle scan that also leaves a sparse time index behind: one mark (offset, line number, time of the first
 * line) per chunk. `diagnose` scans a log once for the request id; the moment a matching line names its blob,
 * the caller adds the blob's needles (`follow`) and they are searched in the same pass for the rest of the
 * window, so only the bytes before the hit are read again, and only the chunks whose times are near it.
 *
 * Speed (`npm run bench -- diagnose`): reads are synchronous, 1 MiB straight into the window buffer (no second copy,
 * no promise per chunk; measured on 600 MB: promise reads with a read-ahead copy spent more time waiting
 * than searching, and 128 KiB reads cost ~20% more than 1-4 MiB). Only matching lines are decoded;
 * lines are counted with Buffer.indexOf.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { decodeLine, maxLineBytes, type Line } from './chunk-window.js';
import { NeedleHits, needleBytes } from './needle-hits.js';

const LF = 10;
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?/;
const SCAN_CHUNK_SIZE = 1 << 20;
/** Let the event loop run (progress, signals) every this many bytes of a long synchronous scan. */
const YIELD_EVERY = 64 << 20;

export interface ScanMark {
  offset: number;
  lineNo: number;
  /** Epoch ms of the chunk's first line, when it starts with (or soon shows) an ISO time. */
  time?: number;
}

export type FoundLine = Line;

/** Bytes of the file in which one followed key's needles were searched: `[from, to)`, `to` absent = to the end. */
export interface Covered {
  key: string;
  from: ScanMark;
  to?: ScanMark;
}

export interface LiveScan {
  /**
   * Searches `needles` too, from the line after the current one, until a chunk starts later than `until`
   * (epoch ms). Following a key already followed only moves `until`.
   */
  follow(key: string, needles: readonly string[], until: number): void;
}

export interface IndexedScanOptions {
  chunkSize?: number;
  /** Lines longer than this are passed over unread and listed in `longLines` (default `maxLineBytes()`). */
  maxLineBytes?: number;
  /**
   * A cheap look at every line that holds no needle (bytes `[start, end)` of `window`, no decoding): false puts
   * its number in `rejected`. For formats small enough to afford it (NDJSON), so bad lines are counted too.
   */
  checkLine?: (window: Buffer, start: number, end: number) => boolean;
  /** Start at this mark (a line start) instead of the file's beginning. */
  from?: ScanMark;
  /** Stop at this byte offset, which must be a line start (another mark's offset). */
  to?: number;
  onBytes?: (bytes: number) => void;
  /** Each matching line as it is found, in file order; may call `scan.follow`. */
  onLine?: (line: FoundLine, scan: LiveScan) => void;
  /**
   * Keys to follow from the start (carried from the files before), dropped at once when the first chunk is
   * earlier than `since`: the file is older than the key's window, which the second pass reads by time.
   */
  follow?: ReadonlyArray<{ key: string; needles: readonly string[]; until: number; since?: number }>;
}

export interface IndexedScan {
  lines: FoundLine[];
  marks: ScanMark[];
  bytes: number;
  covered: Covered[];
  /** Numbers of the lines longer than the limit: skipped, never held or searched. */
  longLines: number[];
  /** Numbers of the lines without a needle that `checkLine` refused. */
  rejected: number[];
}

function markAt(window: Buffer, start: number, offset: number, lineNo: number): ScanMark {
  const head = window.toString('latin1', start, Math.min(window.length, start + 200));
  const m = ISO.exec(head);
  const ms = m ? Date.parse(m[0].endsWith('Z') ? m[0] : `${m[0]}Z`) : NaN;
  return Number.isNaN(ms) ? { offset, lineNo } : { offset, lineNo, time: ms };
}

interface Followed {
  key: string;
  needles: Buffer[];
  until: number;
  /** Only for keys carried in: checked against the first mark. */
  since?: number;
  covered: Covered;
}

class Scanner implements LiveScan {
  readonly out: IndexedScan = { lines: [], marks: [], bytes: 0, covered: [], longLines: [], rejected: [] };
  private readonly followed = new Map<string, Followed>();
  private hits: NeedleHits | undefined;
  /** Where the window being searched starts in the file, and the number of the line starting there. */
  windowStart = 0;
  lineNo = 1;
  /** Window offset of the next line to search (set while a window is searched). */
  private resume = 0;

  constructor(
    private readonly base: Buffer[],
    private readonly maxLine: number,
    private readonly onLine: IndexedScanOptions['onLine'],
    private readonly checkLine?: IndexedScanOptions['checkLine'],
  ) {}

  /**
   * Lines in `window[from, to)` (`from` a line start, `to` one past an LF or the window end at EOF): counts them
   * from `this.lineNo` and lists the ones past the length limit. The LFs are walked anyway to count lines.
   */
  private passOver(window: Buffer, from: number, to: number, eof: boolean): void {
    let start = from;
    for (let lf = window.indexOf(LF, from); lf !== -1 && lf < to; lf = window.indexOf(LF, start)) {
      if (lf - start > this.maxLine) this.out.longLines.push(this.lineNo);
      this.lineNo++;
      start = lf + 1;
    }
    if (eof && start < to) {
      if (to - start > this.maxLine) this.out.longLines.push(this.lineNo);
      this.lineNo++;
    }
  }

  /** `checkLine` over the complete lines of `window[0, to)` that were not hits; `firstLineNo` is line 0's number. */
  private check(window: Buffer, to: number, firstLineNo: number, hitStarts: ReadonlySet<number>): void {
    const check = this.checkLine;
    if (!check) return;
    let lineNo = firstLineNo;
    for (let start = 0; start < to; lineNo++) {
      const lf = window.indexOf(LF, start);
      const end = lf === -1 || lf >= to ? to : lf;
      const stop = end > start && window[end - 1] === 13 ? end - 1 : end;
      if (!hitStarts.has(start) && stop > start && !check(window, start, stop)) this.out.rejected.push(lineNo);
      start = end + 1;
    }
  }

  follow(key: string, needles: readonly string[], until: number, since?: number): void {
    const f = this.followed.get(key);
    if (f) {
      f.until = Math.max(f.until, until);
      return;
    }
    const bytes = needleBytes(needles);
    const covered: Covered = { key, from: { offset: this.windowStart + this.resume, lineNo: this.lineNo } };
    this.followed.set(key, { key, needles: bytes, until, since, covered });
    this.out.covered.push(covered);
    for (const b of bytes) this.hits?.add(b);
  }

  /** At a chunk whose first line is later than a key's `until`, that key is searched no further. */
  private dropLate(mark: ScanMark): void {
    if (mark.time === undefined) return;
    for (const f of this.followed.values()) {
      const early = f.since !== undefined && mark.time < f.since;
      f.since = undefined;
      if (mark.time <= f.until && !early) continue;
      f.covered.to = { offset: this.windowStart, lineNo: this.lineNo };
      this.followed.delete(f.key);
    }
  }

  /** Emits complete matching lines of `window`; returns where the unfinished tail starts. */
  window(window: Buffer, eof: boolean, mark: ScanMark | undefined): number {
    if (mark) this.dropLate(mark);
    const hits = new NeedleHits(window, this.base);
    for (const f of this.followed.values()) for (const b of f.needles) hits.add(b);
    this.hits = hits;
    let counted = 0;
    this.resume = 0;
    const firstLineNo = this.lineNo;
    const hitStarts = new Set<number>();
    for (let hit = hits.from(0); hit !== -1; hit = hits.from(counted)) {
      const start = hit === 0 ? 0 : window.lastIndexOf(LF, hit - 1) + 1;
      const end = window.indexOf(LF, hit);
      if (end === -1 && !eof) break;
      this.passOver(window, counted, start, false);
      const lineNo = this.lineNo;
      const stop = end === -1 ? window.length : end;
      hitStarts.add(start);
      this.lineNo = lineNo + 1;
      counted = this.resume = stop + 1;
      if (stop - start > this.maxLine) {
        this.out.longLines.push(lineNo);
      } else {
        const found: FoundLine = { line: decodeLine(window, start, stop, lineNo), lineNo };
        this.out.lines.push(found);
        this.onLine?.(found, this);
      }
      if (counted >= window.length) break;
    }
    this.hits = undefined;
    const keepFrom = eof ? window.length : Math.max(Math.min(counted, window.length), window.lastIndexOf(LF) + 1);
    if (keepFrom > counted) this.passOver(window, counted, keepFrom, eof);
    this.check(window, keepFrom, firstLineNo, hitStarts);
    this.windowStart += keepFrom;
    return keepFrom;
  }

  start(from: ScanMark | undefined, follow: IndexedScanOptions['follow']): void {
    this.windowStart = from?.offset ?? 0;
    this.lineNo = from?.lineNo ?? 1;
    for (const f of follow ?? []) this.follow(f.key, f.needles, f.until, f.since);
  }

  /** A line past the length limit ended `length` bytes (its LF included) after the current window start. */
  skipped(length: number): void {
    this.out.longLines.push(this.lineNo);
    this.lineNo += 1;
    this.windowStart += length;
  }

  finish(end: number | undefined): void {
    for (const f of this.followed.values()) if (end !== undefined) f.covered.to = { offset: end, lineNo: this.lineNo };
    this.followed.clear();
  }
}

export async function indexedScan(
  file: string,
  needles: string[],
  options: IndexedScanOptions = {},
): Promise<IndexedScan> {
  const chunkSize = options.chunkSize ?? SCAN_CHUNK_SIZE;
  const maxLine = options.maxLineBytes ?? maxLineBytes();
  const scanner = new Scanner(needleBytes(needles), maxLine, options.onLine, options.checkLine);
  scanner.start(options.from, options.follow);
  const out = scanner.out;
  const stopAt = options.to ?? Infinity;
  const fd = openSync(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(chunkSize * 2);
    let carry = 0;
    let pos = options.from?.offset ?? 0;
    let sinceYield = 0;
    /** Bytes of an over-long line passed over so far; -1 when not inside one. */
    let skipping = -1;
    for (;;) {
      if (skipping >= 0) {
        const want = Math.min(chunkSize, stopAt - pos);
        const bytesRead = want > 0 ? readSync(fd, buf, 0, want, pos) : 0;
        pos += bytesRead;
        out.bytes += bytesRead;
        options.onBytes?.(bytesRead);
        const lf = bytesRead === 0 ? -1 : buf.subarray(0, bytesRead).indexOf(LF);
        if (lf === -1 && bytesRead > 0) {
          skipping += bytesRead;
          continue;
        }
        // The long line ends here (or at the end of the file); what follows its LF is scanned as usual.
        scanner.skipped(skipping + (lf === -1 ? 0 : lf + 1));
        skipping = -1;
        if (bytesRead === 0) {
          scanner.finish(options.to);
          return out;
        }
        carry = bytesRead - lf - 1;
        buf.copy(buf, 0, lf + 1, bytesRead);
        continue;
      }
      if (carry + chunkSize > buf.length)
        buf = Buffer.concat([buf.subarray(0, carry), Buffer.allocUnsafe(carry + chunkSize)]);
      const want = Math.min(chunkSize, stopAt - pos);
      const bytesRead = want > 0 ? readSync(fd, buf, carry, want, pos) : 0;
      pos += bytesRead;
      out.bytes += bytesRead;
      options.onBytes?.(bytesRead);
      const eof = bytesRead === 0;
      const window = buf.subarray(0, carry + bytesRead);
      let mark: ScanMark | undefined;
      if (!eof) {
        const first = carry === 0 ? 0 : window.indexOf(LF, carry) + 1;
        if (first > 0 || carry === 0) {
          // The carried tail is one unfinished line: the first LF after it ends that line.
          mark = markAt(window, first, scanner.windowStart + first, scanner.lineNo + (first > 0 ? 1 : 0));
          out.marks.push(mark);
        }
      }
      const keepFrom = scanner.window(window, eof, mark);
      if (eof) {
        scanner.finish(options.to);
        return out;
      }
      carry = window.length - keepFrom;
      if (carry > maxLine) {
        // An unfinished line already past the limit: stop holding it, pass over the rest of it.
        skipping = carry;
        carry = 0;
        continue;
      }
      if (keepFrom > 0) window.copy(buf, 0, keepFrom, window.length);
      if ((sinceYield += bytesRead) >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise((r) => setImmediate(r));
      }
    }
  } finally {
    closeSync(fd);
  }
}
