/**
 * The lines of a byte stream (a blob download), a chunk's worth at a time as byte spans (line-stream.ts
 * RawLineBatch), never held whole: chunks are split at LF as they arrive, and only the unfinished tail is carried.
 * A line longer than `maxLineBytes` is passed over and stands as a `-1, -1` span, as in rawLineBatches. The
 * stream's own backpressure bounds what waits unread.
 */
import { maxLineBytes } from './chunk-window.js';
import { BATCH_LINES, type RawLineBatch } from './line-stream.js';

/** A batch being filled: its spans grow as lines arrive. */
type Filling = RawLineBatch & { spans: number[] };

const LF = 10;
const CR = 13;

export async function* streamLines(
  chunks: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer>,
  max = maxLineBytes(),
): AsyncGenerator<RawLineBatch> {
  let tail: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  let skipping = false;
  const span = (spans: number[], buf: Buffer, start: number, end: number) => {
    lineNo++;
    if (skipping || end - start > max) spans.push(-1, -1);
    else {
      if (lineNo === 1 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
      spans.push(start, end > start && buf[end - 1] === CR ? end - 1 : end);
    }
    skipping = false;
  };
  for await (const raw of chunks) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const window = tail.length ? Buffer.concat([tail, chunk]) : chunk;
    let batch: Filling = { window, spans: [], firstLineNo: lineNo + 1 };
    let start = 0;
    for (let nl = window.indexOf(LF); nl !== -1; nl = window.indexOf(LF, start)) {
      span(batch.spans, window, start, nl);
      start = nl + 1;
      if (batch.spans.length >= 2 * BATCH_LINES) {
        yield batch;
        batch = { window, spans: [], firstLineNo: lineNo + 1 };
      }
    }
    if (batch.spans.length) yield batch;
    tail = window.subarray(start);
    if (tail.length > max) {
      skipping = true;
      tail = Buffer.alloc(0);
    }
  }
  if (skipping || tail.length) {
    const batch: Filling = { window: tail, spans: [], firstLineNo: lineNo + 1 };
    span(batch.spans, tail, 0, tail.length);
    yield batch;
  }
}
