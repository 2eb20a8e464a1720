/** Chunked reading shared by readLines and scanForNeedles: a file is never loaded whole. */
import { open, type FileHandle } from 'node:fs/promises';

export interface Line {
  line: string;
  /** 1-based. */
  lineNo: number;
}

export interface LineStreamOptions {
  /** Bytes read per call; 1 MiB by default (tests use tiny chunks to hit boundaries). */
  chunkSize?: number;
  /** Lines longer than this are skipped, not held (default `maxLineBytes()`). */
  maxLineBytes?: number;
}

export const DEFAULT_CHUNK_SIZE = 1 << 20;

/**
 * No log line is longer than this: a longer "line" is a run of NULs from a disk that crashed, a binary file or a
 * cut-off upload, and holding it would cost memory without bound (V8 cannot even make a string past 512 MiB).
 * Such a line is skipped and counted. `CNM_MAX_LINE_MB` raises the limit.
 */
export function maxLineBytes(): number {
  const mb = Number(process.env.CNM_MAX_LINE_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 16) * 2 ** 20;
}
const LF = 10;
const CR = 13;

/**
 * Two buffers take turns: the next chunk is read into the upper half of one while the caller searches the window
 * in the other, so disk (or page cache) and CPU overlap; the unfinished tail of the previous window is then copied
 * just before the new chunk, and the window is the two together. Only that tail is copied (copying every chunk
 * into one window cost as much again as reading it). A tail longer than a chunk (a line longer than a chunk)
 * goes through a spill buffer that grows.
 */
export class ChunkWindow {
  private readonly halves: [Buffer, Buffer];
  /** The buffer the read in flight (or the next one) fills, from offset chunkSize. */
  private turn: 0 | 1 = 0;
  private spill = Buffer.alloc(0);
  /** The tail kept for the next window: `carry` bytes of `carrySource` from `carryFrom`. */
  private carrySource: Buffer = Buffer.alloc(0);
  private carryFrom = 0;
  private carry = 0;
  private pending: Promise<number> | undefined;

  constructor(
    private readonly handle: FileHandle,
    private readonly chunkSize: number,
  ) {
    this.halves = [Buffer.allocUnsafe(chunkSize * 2), Buffer.allocUnsafe(chunkSize * 2)];
  }

  private readAhead(): Promise<number> {
    const read = this.handle
      .read(this.halves[this.turn], this.chunkSize, this.chunkSize, null)
      .then((r) => r.bytesRead);
    // Marked handled now; the rejection still surfaces when next() awaits it.
    read.catch(() => undefined);
    return read;
  }

  /** The carried tail plus the next chunk; `eof` when the file had nothing more. */
  async next(): Promise<{ window: Buffer; carried: number; eof: boolean }> {
    const bytesRead = await (this.pending ?? this.readAhead());
    const filled = this.halves[this.turn];
    const { carry, carryFrom, chunkSize } = this;
    let window: Buffer;
    if (carry <= chunkSize) {
      this.carrySource.copy(filled, chunkSize - carry, carryFrom, carryFrom + carry);
      window = filled.subarray(chunkSize - carry, chunkSize + bytesRead);
    } else {
      // The tail may be in the spill buffer itself: a new one still copies it from the old, which carrySource holds.
      if (this.spill.length < carry + bytesRead) this.spill = Buffer.allocUnsafe((carry + bytesRead) * 2);
      this.carrySource.copy(this.spill, 0, carryFrom, carryFrom + carry);
      filled.copy(this.spill, carry, chunkSize, chunkSize + bytesRead);
      window = this.spill.subarray(0, carry + bytesRead);
    }
    // The tail is out of the other buffer: the next read may fill it.
    this.turn = this.turn === 0 ? 1 : 0;
    this.pending = bytesRead === 0 ? undefined : this.readAhead();
    return { window, carried: carry, eof: bytesRead === 0 };
  }

  /** Forgets the carried tail (a line being skipped): the next window starts with the next chunk. */
  drop(): void {
    this.carry = 0;
  }

  /** Keeps `window[from..]` for the next call. */
  keep(window: Buffer, from: number): void {
    this.carrySource = window;
    this.carryFrom = from;
    this.carry = window.length - from;
  }

  /** Waits for a read still in flight, so the file can be closed under it safely. */
  async settle(): Promise<void> {
    await this.pending?.catch(() => undefined);
    this.pending = undefined;
  }
}

/** Decodes `buf[start..end)` as one line: a CR before the LF is dropped, and a BOM on line 1. */
export function decodeLine(buf: Buffer, start: number, end: number, lineNo: number): string {
  const stop = end > start && buf[end - 1] === CR ? end - 1 : end;
  const text = buf.toString('utf8', start, stop);
  return lineNo === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(LF, from); i !== -1 && i < to; i = buf.indexOf(LF, i + 1)) n++;
  return n;
}

export async function withChunkedFile<T>(
  file: string,
  chunkSize: number | undefined,
  body: (w: ChunkWindow) => Promise<T>,
): Promise<T> {
  const handle = await open(file, 'r');
  const chunks = new ChunkWindow(handle, chunkSize ?? DEFAULT_CHUNK_SIZE);
  try {
    return await body(chunks);
  } finally {
    await chunks.settle();
    await handle.close();
  }
}
