/**
 * Line access to log files that may be gigabytes: nothing here loads a whole file. `readLines` streams
 * every line; indexed-scan.ts searches raw bytes with Buffer.indexOf and decodes only matching lines,
 * which is what `diagnose --request-id` needs from a day of $logs.
 */
import { open } from 'node:fs/promises';
import {
  ChunkWindow,
  decodeLine,
  DEFAULT_CHUNK_SIZE,
  maxLineBytes,
  type Line,
  type LineStreamOptions,
} from './chunk-window.js';

export type { Line, LineStreamOptions } from './chunk-window.js';

const LF = 10;

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
  const handle = await open(file, 'r');
  const chunks = new ChunkWindow(handle, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const max = options.maxLineBytes ?? maxLineBytes();
  try {
    let lineNo = 0;
    let skipping = false;
    for (;;) {
      const { window, carried, eof } = await chunks.next();
      let start = 0;
      let nl = window.indexOf(LF, carried);
      if (skipping) {
        if (nl === -1 && !eof) {
          chunks.drop();
          continue;
        }
        skipping = false;
        yield { lineNo: ++lineNo, tooLong: true };
        if (nl === -1) return;
        start = nl + 1;
        nl = window.indexOf(LF, start);
      }
      for (; nl !== -1; nl = window.indexOf(LF, start)) {
        yield nl - start > max
          ? { lineNo: ++lineNo, tooLong: true }
          : { line: decodeLine(window, start, nl, ++lineNo), lineNo };
        start = nl + 1;
      }
      if (eof) {
        if (start < window.length) {
          yield window.length - start > max
            ? { lineNo: ++lineNo, tooLong: true }
            : { line: decodeLine(window, start, window.length, ++lineNo), lineNo };
        }
        return;
      }
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
