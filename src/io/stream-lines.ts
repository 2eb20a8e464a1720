/**
 * The lines of a byte stream (a blob download), never held whole: chunks are split at LF as they arrive, and only
 * the unfinished tail is carried. A line longer than `maxLineBytes` is passed over and stands as a `LongLine`, as
 * in readLines (line-stream.ts). The stream's own backpressure bounds what waits unread.
 */
import { decodeLine, maxLineBytes, type Line } from './chunk-window.js';
import type { LongLine } from './line-stream.js';

const LF = 10;

export async function* streamLines(
  chunks: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer>,
  max = maxLineBytes(),
): AsyncGenerator<Line | LongLine> {
  let tail: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  let skipping = false;
  for await (const raw of chunks) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const buf = tail.length ? Buffer.concat([tail, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(LF); nl !== -1; nl = buf.indexOf(LF, start)) {
      if (skipping || nl - start > max) yield { lineNo: ++lineNo, tooLong: true };
      else yield { line: decodeLine(buf, start, nl, ++lineNo), lineNo };
      skipping = false;
      start = nl + 1;
    }
    tail = buf.subarray(start);
    if (tail.length > max) {
      skipping = true;
      tail = Buffer.alloc(0);
    }
  }
  const last = lineNo + 1;
  if (skipping) yield { lineNo: last, tooLong: true };
  else if (tail.length) yield { line: decodeLine(tail, 0, tail.length, last), lineNo: last };
}
