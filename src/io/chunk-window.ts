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

/** Where a line reader's windows come from: a file's chunks, each after the tail the reader kept of the last. */
export interface WindowSource {
  /** The carried tail plus the next chunk; `eof` when the file had nothing more. */
  next(): Promise<{ window: Buffer; carried: number; eof: boolean }>;
  /** Forgets the carried tail (a line being skipped): the next window starts with the next chunk. */
  drop(): void;
  /** Keeps `window[from..]` for the next call. */
  keep(window: Buffer, from: number): void;
  /** Waits for a read still in flight, so the file can be closed under it safely. */
  settle(): Promise<void>;
}

/**
 * The unfinished tail of a reader's last window, put before its next chunk: the chunk is read into the upper half of
 * a buffer of two chunks, and the tail copied just before it (copying every chunk into one window cost as much again
 * as reading it). A tail longer than a chunk (a line longer than a chunk) goes through a spill buffer that grows.
 */
export class CarriedTail {
  private source: Buffer = Buffer.alloc(0);
  private from = 0;
  /** Bytes carried. */
  length = 0;
  private spill = Buffer.alloc(0);

  /** Does the tail fit before a chunk (else the next window is in the spill buffer)? */
  fits(chunkSize: number): boolean {
    return this.length <= chunkSize;
  }

  /** The tail, then the `bytesRead` bytes read into `filled` from `chunkSize` on: the next window. */
  window(filled: Buffer, chunkSize: number, bytesRead: number): Buffer {
    const { source, from, length } = this;
    if (this.fits(chunkSize)) {
      source.copy(filled, chunkSize - length, from, from + length);
      return filled.subarray(chunkSize - length, chunkSize + bytesRead);
    }
    // The tail may be in the spill buffer itself: a new one still copies it from the old, which `source` holds.
    if (this.spill.length < length + bytesRead) this.spill = Buffer.allocUnsafe((length + bytesRead) * 2);
    source.copy(this.spill, 0, from, from + length);
    filled.copy(this.spill, length, chunkSize, chunkSize + bytesRead);
    return this.spill.subarray(0, length + bytesRead);
  }

  /** Keeps `window[from..]` for the next window. */
  keep(window: Buffer, from: number): void {
    this.source = window;
    this.from = from;
    this.length = window.length - from;
  }

  /** Forgets it (a line being skipped). */
  drop(): void {
    this.length = 0;
  }
}

/**
 * Two buffers take turns: the next chunk is read into the upper half of one while the caller searches the window
 * in the other, so disk (or page cache) and CPU overlap; the window is the carried tail (CarriedTail) and the chunk.
 */
export class ChunkWindow implements WindowSource {
  private readonly halves: [Buffer, Buffer];
  /** The buffer the read in flight (or the next one) fills, from offset chunkSize. */
  private turn: 0 | 1 = 0;
  private readonly tail = new CarriedTail();
  private pending: Promise<number> | undefined;

  /**
   * `halves`: the two buffers, of two chunks each, when the caller places them (by default, new ones). `position`:
   * the file offset to read from (by default, where the handle is: a pipe has no offsets).
   */
  constructor(
    private readonly handle: FileHandle,
    private readonly chunkSize: number,
    halves?: [Buffer, Buffer],
    private position?: number,
  ) {
    this.halves = halves ?? [Buffer.allocUnsafe(chunkSize * 2), Buffer.allocUnsafe(chunkSize * 2)];
  }

  private readAhead(): Promise<number> {
    // One read at a time: the next starts after this one's bytes.
    const at = this.position ?? null;
    const read = this.handle.read(this.halves[this.turn], this.chunkSize, this.chunkSize, at).then((r) => {
      if (this.position !== undefined) this.position += r.bytesRead;
      return r.bytesRead;
    });
    // Marked handled now; the rejection still surfaces when next() awaits it.
    read.catch(() => undefined);
    return read;
  }

  /** The carried tail plus the next chunk; `eof` when the file had nothing more. */
  async next(): Promise<{ window: Buffer; carried: number; eof: boolean }> {
    const bytesRead = await (this.pending ?? this.readAhead());
    const carried = this.tail.length;
    const window = this.tail.window(this.halves[this.turn], this.chunkSize, bytesRead);
    // The tail is out of the other buffer: the next read may fill it.
    this.turn = this.turn === 0 ? 1 : 0;
    this.pending = bytesRead === 0 ? undefined : this.readAhead();
    return { window, carried, eof: bytesRead === 0 };
  }

  drop(): void {
    this.tail.drop();
  }

  keep(window: Buffer, from: number): void {
    this.tail.keep(window, from);
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
