/**
 * A needle scan that also leaves a sparse time index behind: one mark (offset, line number, time of the first
 * line) per chunk. `diagnose` scans a log once for the request id, then re-reads only the chunks whose times
 * are near the failure to find the blob's other writers, instead of reading gigabytes twice.
 */
import { open } from 'node:fs/promises';
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

export async function indexedScan(file: string, needles: string[], options: IndexedScanOptions = {}): Promise<IndexedScan> {
  const bytes = [...new Set(needles)].filter((n) => n !== '' && !/[\r\n]/.test(n)).map((n) => Buffer.from(n, 'utf8'));
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const handle = await open(file, 'r');
  const out: IndexedScan = { lines: [], marks: [], bytes: 0 };
  try {
    let buf = Buffer.allocUnsafe(chunkSize * 2);
    let carry = 0;
    let pos = options.from?.offset ?? 0;
    let lineNo = options.from?.lineNo ?? 1;
    const stopAt = options.to ?? Infinity;
    for (;;) {
      const want = Math.min(chunkSize, stopAt - pos);
      if (carry + want > buf.length) buf = Buffer.concat([buf.subarray(0, carry), Buffer.allocUnsafe(carry + want)]);
      const { bytesRead } = want > 0 ? await handle.read(buf, carry, want, pos) : { bytesRead: 0 };
      const windowStart = pos - carry;
      pos += bytesRead;
      out.bytes += bytesRead;
      options.onBytes?.(bytesRead);
      const eof = bytesRead === 0;
      const window = buf.subarray(0, carry + bytesRead);
      const first = carry === 0 ? 0 : window.indexOf(LF, carry) + 1;
      if (!eof && first > 0 || (carry === 0 && bytesRead > 0)) out.marks.push(markAt(window, first, windowStart + first, lineNo + (first > 0 ? 1 : 0)));
      const r = bytes.length ? scanWindow(window, bytes, eof, lineNo, out.lines) : { keepFrom: eof ? window.length : window.lastIndexOf(LF) + 1, lineNo: lineNo + countLf(window, 0, eof ? window.length : window.lastIndexOf(LF) + 1) };
      lineNo = r.lineNo;
      if (eof) return out;
      carry = window.length - r.keepFrom;
      if (r.keepFrom > 0) window.copy(buf, 0, r.keepFrom, window.length);
    }
  } finally {
    await handle.close();
  }
}
