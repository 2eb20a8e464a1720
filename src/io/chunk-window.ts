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
}

export const DEFAULT_CHUNK_SIZE = 1 << 20;
const LF = 10;
const CR = 13;

/**
 * One reusable buffer: the unfinished tail of the previous read is moved to the front and the next
 * chunk is read after it, so a line spanning reads never costs a copy of the whole chunk.
 */
export class ChunkWindow {
  private buf: Buffer;
  private carry = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly chunkSize: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunkSize * 2);
  }

  /** The carried tail plus the next chunk; `eof` when the file had nothing more. */
  async next(): Promise<{ window: Buffer; carried: number; eof: boolean }> {
    if (this.carry + this.chunkSize > this.buf.length) {
      const bigger = Buffer.allocUnsafe((this.carry + this.chunkSize) * 2);
      this.buf.copy(bigger, 0, 0, this.carry);
      this.buf = bigger;
    }
    const { bytesRead } = await this.handle.read(this.buf, this.carry, this.chunkSize, null);
    const carried = this.carry;
    return { window: this.buf.subarray(0, carried + bytesRead), carried, eof: bytesRead === 0 };
  }

  /** Keeps `window[from..]` for the next call. */
  keep(window: Buffer, from: number): void {
    this.carry = window.length - from;
    if (from > 0) window.copy(this.buf, 0, from, window.length);
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

export async function withChunkedFile<T>(file: string, chunkSize: number | undefined, body: (w: ChunkWindow) => Promise<T>): Promise<T> {
  const handle = await open(file, 'r');
  try {
    return await body(new ChunkWindow(handle, chunkSize ?? DEFAULT_CHUNK_SIZE));
  } finally {
    await handle.close();
  }
}

