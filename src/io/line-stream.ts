/**
 * Line access to log files that may be gigabytes: nothing here loads a whole file. `readLines` streams
 * every line; indexed-scan.ts searches raw bytes with Buffer.indexOf and decodes only matching lines,
 * which is what `diagnose --request-id` needs from a day of $logs.
 */
import { open, type FileHandle } from 'node:fs/promises';
import {
  ChunkWindow,
  DEFAULT_CHUNK_SIZE,
  maxLineBytes,
  type Line,
  type LineStreamOptions,
  type WindowSource,
} from './chunk-window.js';

export type { Line, LineStreamOptions } from './chunk-window.js';

const LF = 10;
const CR = 13;

/** A line longer than the limit, in place of its text: skipped, so the caller can count it. */
export interface LongLine {
  lineNo: number;
  tooLong: true;
}

/**
 * Every line of `file` in order, CRLF or LF, the last one with or without a newline. A line longer than
 * `maxLineBytes` is not held: its bytes are passed over up to its end and a `LongLine` stands for it.
 */
export async function* readLines(file: string, options: LineStreamOptions = {}): AsyncGenerator<Line | LongLine> {
  for await (const batch of lineBatches(file, options)) yield* batch;
}

/**
 * The same lines a chunk at a time (about a MiB of them), for callers that count every line: one await per
 * chunk instead of one per line.
 */
async function* lineBatches(file: string, options: LineStreamOptions = {}): AsyncGenerator<Array<Line | LongLine>> {
  for await (const raw of rawLineBatches(file, options)) {
    const batch: Array<Line | LongLine> = [];
    for (let i = 0; i < raw.spans.length; i += 2) {
      const lineNo = raw.firstLineNo + i / 2;
      const start = raw.spans[i]!;
      batch.push(
        start < 0 ? { lineNo, tooLong: true } : { line: raw.window.toString('utf8', start, raw.spans[i + 1]), lineNo },
      );
    }
    yield batch;
  }
}

/**
 * Lines as byte spans of the chunk window, without decoding them: `spans` holds `start, end` pairs (a CR before
 * the LF and a BOM on line 1 left out; `-1, -1` for a line past the limit), the first numbered `firstLineNo`.
 * The window is reused for the next batch: read what is needed before asking for it.
 */
export interface RawLineBatch {
  window: Buffer;
  /** Read it before asking for the next batch: a file's batches share one array. */
  spans: ArrayLike<number>;
  firstLineNo: number;
  /**
   * The file offset where the line after the batch starts, or the file's end after its last batch (another reader may
   * go on from there).
   */
  next?: number;
}

/** Where a read starts that goes on from another (`next` of its last batch): the offset, the line's number. */
export interface ReadFrom {
  offset: number;
  lineNo: number;
}

/**
 * Lines a batch holds at most: a window of short lines is yielded in several batches, so `spans` stays small (a
 * megabyte of blank lines made arrays of millions, each a large object left for the next full collection).
 */
export const BATCH_LINES = 16_384;

/**
 * `windows`: where the file's chunks are read into (by default a ChunkWindow of two buffers; the scan thread's are
 * in the memory it scans, logs/slot-windows.ts). `from`: a read that goes on from another's `next`, whose windows
 * start at that offset (a ChunkWindow starts at the file's start).
 */
export async function* rawLineBatches(
  file: string,
  options: LineStreamOptions = {},
  windows: (handle: FileHandle, chunkSize: number) => WindowSource = (h, size) => new ChunkWindow(h, size),
  from: ReadFrom = { offset: 0, lineNo: 1 },
): AsyncGenerator<RawLineBatch> {
  const handle = await open(file, 'r');
  const chunks = windows(handle, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const max = options.maxLineBytes ?? maxLineBytes();
  let lineNo = from.lineNo - 1;
  /** The file offset of the end of what was read. */
  let read = from.offset;
  // One array for every batch of the file (a new array per batch, grown a push at a time, was a third of what a
  // big log's read allocated); a batch is a view of its first `n`.
  const spans = new Int32Array(2 * BATCH_LINES);
  let n = 0;
  const span = (window: Buffer, start: number, end: number) => {
    lineNo++;
    if (end - start > max) {
      spans[n++] = -1;
      spans[n++] = -1;
      return;
    }
    if (lineNo === 1 && window[start] === 0xef && window[start + 1] === 0xbb && window[start + 2] === 0xbf) start += 3;
    spans[n++] = start;
    spans[n++] = end > start && window[end - 1] === CR ? end - 1 : end;
  };
  /** The spans so far as a batch of `window`; the next batch starts empty. */
  const take = (window: Buffer, next?: number): RawLineBatch => {
    const batch = { window, spans: spans.subarray(0, n), firstLineNo: lineNo - n / 2 + 1, next };
    n = 0;
    return batch;
  };
  try {
    let skipping = false;
    for (;;) {
      const { window, carried, eof } = await chunks.next();
      read += window.length - carried;
      /** The file offset of the window's first byte. */
      const windowAt = read - window.length;
      let start = 0;
      let nl = window.indexOf(LF, carried);
      if (skipping) {
        if (nl === -1 && !eof) {
          chunks.drop();
          continue;
        }
        skipping = false;
        lineNo++;
        spans[n++] = -1;
        spans[n++] = -1;
        if (nl === -1) {
          yield take(window, read);
          return;
        }
        start = nl + 1;
        nl = window.indexOf(LF, start);
      }
      for (; nl !== -1; nl = window.indexOf(LF, start)) {
        span(window, start, nl);
        start = nl + 1;
        if (n >= 2 * BATCH_LINES) yield take(window, windowAt + start);
      }
      if (eof) {
        if (start < window.length) span(window, start, window.length);
        yield take(window, read);
        return;
      }
      yield take(window, windowAt + start);
      if (window.length - start > max) {
        skipping = true;
        chunks.drop();
        continue;
      }
      chunks.keep(window, start);
    }
  } finally {
    // Also reached when the consumer stops early (break): a read may still be in flight.
    await chunks.settle();
    await handle.close();
  }
}
