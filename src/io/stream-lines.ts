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
  // The unfinished line: its chunks, joined once its end comes (joining them at every chunk, and looking for its end
  // from its start each time, was quadratic in a long line's length). None are kept while a line is passed over.
  let pieces: Buffer[] = [];
  let pending = 0;
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
  /** Carries `rest` (no LF in it) into the next chunk, unless the line is already longer than the limit. */
  const carry = (rest: Buffer) => {
    if (skipping) return;
    pieces.push(rest);
    pending += rest.length;
    if (pending > max) {
      skipping = true;
      pieces = [];
      pending = 0;
    }
  };
  for await (const raw of chunks) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const first = chunk.indexOf(LF);
    if (first === -1) {
      if (chunk.length) carry(chunk);
      continue;
    }
    const window = pieces.length ? Buffer.concat([...pieces, chunk], pending + chunk.length) : chunk;
    const offset = pieces.length ? pending : 0;
    pieces = [];
    pending = 0;
    let batch: Filling = { window, spans: [], firstLineNo: lineNo + 1 };
    let start = 0;
    for (let nl = offset + first; nl !== -1; nl = window.indexOf(LF, start)) {
      span(batch.spans, window, start, nl);
      start = nl + 1;
      if (batch.spans.length >= 2 * BATCH_LINES) {
        yield batch;
        batch = { window, spans: [], firstLineNo: lineNo + 1 };
      }
    }
    if (batch.spans.length) yield batch;
    if (start < window.length) carry(window.subarray(start));
  }
  if (skipping || pending) {
    const tail = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, pending);
    const batch: Filling = { window: tail, spans: [], firstLineNo: lineNo + 1 };
    span(batch.spans, tail, 0, tail.length);
    yield batch;
  }
}
