/**
 * A needle scan that also leaves a sparse time index behind: one mark (offset, line number, time of the first
 * line) per chunk. `diagnose` scans a log once for the request id, then re-reads only the chunks whose times
 * are near the failure to find the blob's other writers, instead of reading gigabytes twice.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { decodeLine, DEFAULT_CHUNK_SIZE, type Line } from './chunk-window.js';

const LF = 10;
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?/;

export interface ScanMark {
  offset: number;
  lineNo: number;
  /** Epoch ms of the chunk's first line, when it starts with (or soon shows) an ISO time. */
  time?: number;
}

export interface IndexedScanOptions {
  chunkSize?: number;
  /** Start at this mark (a line start) instead of the file's beginning. */
  from?: ScanMark;
  /** Stop at this byte offset, which must be a line start (another mark's offset). */
  to?: number;
  onBytes?: (bytes: number) => void;
}

export interface IndexedScan {
  lines: Line[];
  marks: ScanMark[];
  bytes: number;
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

/** Needle hits, linear in the window: each needle's next hit is cached, not re-searched per hit. */
class Hits {
  private readonly next: number[];
  constructor(private readonly needles: Buffer[], private readonly window: Buffer) {
    this.next = needles.map(() => -2);
  }
  from(pos: number): number {
    let best = -1;
    this.needles.forEach((n, k) => {
      if (this.next[k]! !== -1 && this.next[k]! < pos) this.next[k] = this.window.indexOf(n, pos);
      const at = this.next[k]!;
      if (at !== -1 && (best === -1 || at < best)) best = at;
    });
    return best;
  }
}

/** Emits complete matching lines of `window`; returns where the unfinished tail starts and lines counted. */
function scanWindow(window: Buffer, needles: Buffer[], eof: boolean, lineNo: number, out: Line[]): { keepFrom: number; lineNo: number } {
  const hits = new Hits(needles, window);
  let counted = 0;
  for (let hit = hits.from(0); hit !== -1; hit = hits.from(counted)) {
    const start = hit === 0 ? 0 : window.lastIndexOf(LF, hit - 1) + 1;
    const end = window.indexOf(LF, hit);
    if (end === -1 && !eof) break;
    lineNo += countLf(window, counted, start);
    const stop = end === -1 ? window.length : end;
    out.push({ line: decodeLine(window, start, stop, lineNo), lineNo });
    lineNo++;
    counted = stop + 1;
    if (counted >= window.length) return { keepFrom: window.length, lineNo };
  }
  const keepFrom = eof ? window.length : Math.max(counted, window.lastIndexOf(LF) + 1);
  return { keepFrom, lineNo: lineNo + countLf(window, counted, keepFrom) };
}

/** Positional reads, one always in flight while the previous chunk is searched (disk and CPU overlap). */
class ReadAhead {
  private readonly ahead: Buffer;
  private pending: Promise<number> | undefined;
  constructor(private readonly handle: FileHandle, private readonly chunkSize: number, private pos: number, private readonly stopAt: number) {
    this.ahead = Buffer.allocUnsafe(chunkSize);
  }
  private start(): Promise<number> {
    const want = Math.min(this.chunkSize, this.stopAt - this.pos);
    const p = want > 0 ? this.handle.read(this.ahead, 0, want, this.pos).then((r) => r.bytesRead) : Promise.resolve(0);
    p.catch(() => undefined);
    return p;
  }
  /** Copies the next chunk to `into[at..]`; 0 at the end. */
  async next(into: Buffer, at: number): Promise<number> {
    const n = await (this.pending ?? this.start());
    this.ahead.copy(into, at, 0, n);
    this.pos += n;
    this.pending = n > 0 ? this.start() : undefined;
    return n;
  }
  async settle(): Promise<void> {
    await this.pending?.catch(() => undefined);
  }
}

export async function indexedScan(file: string, needles: string[], options: IndexedScanOptions = {}): Promise<IndexedScan> {
  const bytes = [...new Set(needles)].filter((n) => n !== '' && !/[\r\n]/.test(n)).map((n) => Buffer.from(n, 'utf8'));
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const handle = await open(file, 'r');
  const out: IndexedScan = { lines: [], marks: [], bytes: 0 };
  const reader = new ReadAhead(handle, chunkSize, options.from?.offset ?? 0, options.to ?? Infinity);
  try {
    let buf = Buffer.allocUnsafe(chunkSize * 2);
    let carry = 0;
    let windowStart = options.from?.offset ?? 0;
    let lineNo = options.from?.lineNo ?? 1;
    for (;;) {
      if (carry + chunkSize > buf.length) buf = Buffer.concat([buf.subarray(0, carry), Buffer.allocUnsafe(carry + chunkSize)]);
      const bytesRead = await reader.next(buf, carry);
      out.bytes += bytesRead;
      options.onBytes?.(bytesRead);
      const eof = bytesRead === 0;
      const window = buf.subarray(0, carry + bytesRead);
      const first = carry === 0 ? 0 : window.indexOf(LF, carry) + 1;
      if (!eof && (first > 0 || carry === 0)) out.marks.push(markAt(window, first, windowStart + first, lineNo + (first > 0 ? 1 : 0)));
      const r = scanWindow(window, bytes, eof, lineNo, out.lines);
      lineNo = r.lineNo;
      if (eof) return out;
      carry = window.length - r.keepFrom;
      windowStart += r.keepFrom;
      if (r.keepFrom > 0) window.copy(buf, 0, r.keepFrom, window.length);
    }
  } finally {
    await reader.settle();
    await handle.close();
  }
}
