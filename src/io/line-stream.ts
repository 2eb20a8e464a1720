/**
 * Line access to log files that may be gigabytes: nothing here loads a whole file. `readLines` streams
 * every line; indexed-scan.ts searches raw bytes with Buffer.indexOf and decodes only matching lines,
 * which is what `diagnose --request-id` needs from a day of $logs.
 */
import { open } from 'node:fs/promises';
import { ChunkWindow, decodeLine, DEFAULT_CHUNK_SIZE, type Line, type LineStreamOptions } from './chunk-window.js';

export type { Line, LineStreamOptions } from './chunk-window.js';

const LF = 10;

/** Every line of `file` in order, CRLF or LF, the last one with or without a newline. */
export async function* readLines(file: string, options: LineStreamOptions = {}): AsyncGenerator<Line> {
  const handle = await open(file, 'r');
  const chunks = new ChunkWindow(handle, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  try {
    let lineNo = 0;
    for (;;) {
      const { window, carried, eof } = await chunks.next();
      let start = 0;
      for (let nl = window.indexOf(LF, carried); nl !== -1; nl = window.indexOf(LF, start)) {
        yield { line: decodeLine(window, start, nl, ++lineNo), lineNo };
        start = nl + 1;
      }
      if (eof) {
        if (start < window.length) yield { line: decodeLine(window, start, window.length, ++lineNo), lineNo };
        return;
      }
      chunks.keep(window, start);
    }
  } finally {
    // Also reached when the consumer stops early (break): a read may still be in flight.
    await chunks.settle();
    await handle.close();
  }
}
