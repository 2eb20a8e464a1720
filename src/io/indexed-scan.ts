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
import { decodeLine, type Line } from './chunk-window.js';
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
}

function markAt(window: Buffer, start: number, offset: number, lineNo: number): ScanMark {
  const head = window.toString('latin1', start, Math.min(window.length, start + 200));
  const m = ISO.exec(head);
  const ms = m ? Date.parse(m[0].endsWith('Z') ? m[0] : `${m[0]}Z`) : NaN;
  return Number.isNaN(ms) ? { offset, lineNo } : { offset, lineNo, time: ms };
}

function countLf(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(LF, from); i !== -1 && i < to; i = buf.indexOf(LF, i + 1)) n++;
  return n;
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
  readonly out: IndexedScan = { lines: [], marks: [], bytes: 0, covered: [] };
  private readonly followed = new Map<string, Followed>();
  private hits: NeedleHits | undefined;
  /** Where the window being searched starts in the file, and the number of the line starting there. */
  windowStart = 0;
  lineNo = 1;
  /** Window offset of the next line to search (set while a window is searched). */
  private resume = 0;

  constructor(
    private readonly base: Buffer[],
    private readonly onLine: IndexedScanOptions['onLine'],
  ) {}

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
    for (let hit = hits.from(0); hit !== -1; hit = hits.from(counted)) {
      const start = hit === 0 ? 0 : window.lastIndexOf(LF, hit - 1) + 1;
      const end = window.indexOf(LF, hit);
      if (end === -1 && !eof) break;
      const lineNo = this.lineNo + countLf(window, counted, start);
      const stop = end === -1 ? window.length : end;
      this.lineNo = lineNo + 1;
      counted = this.resume = stop + 1;
      const found: FoundLine = { line: decodeLine(window, start, stop, lineNo), lineNo };
      this.out.lines.push(found);
      this.onLine?.(found, this);
      if (counted >= window.length) break;
    }
    this.hits = undefined;
    const keepFrom = eof ? window.length : Math.max(Math.min(counted, window.length), window.lastIndexOf(LF) + 1);
    if (keepFrom > counted) this.lineNo += countLf(window, counted, keepFrom);
    this.windowStart += keepFrom;
    return keepFrom;
  }

  start(from: ScanMark | undefined, follow: IndexedScanOptions['follow']): void {
    this.windowStart = from?.offset ?? 0;
    this.lineNo = from?.lineNo ?? 1;
    for (const f of follow ?? []) this.follow(f.key, f.needles, f.until, f.since);
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
  const scanner = new Scanner(needleBytes(needles), options.onLine);
  scanner.start(options.from, options.follow);
  const out = scanner.out;
  const stopAt = options.to ?? Infinity;
  const fd = openSync(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(chunkSize * 2);
    let carry = 0;
    let pos = options.from?.offset ?? 0;
    let sinceYield = 0;
    for (;;) {
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
