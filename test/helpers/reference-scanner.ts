/**
 * Finds the lines of a file that contain any of a few needles (request ids, an object key) by searching
 * raw bytes with Buffer.indexOf, chunk by chunk, and decoding only the lines that match: decoding every
 * line of a multi-gigabyte log costs more than searching it.
 */
import {
  countNewlines,
  decodeLine,
  withChunkedFile,
  type Line,
  type LineStreamOptions,
} from '../../src/io/chunk-window.js';
import { NeedleHits, needleBytes } from '../../src/io/needle-hits.js';

const LF = 10;

interface ScanState {
  /** Line number of the line that starts at window offset 0. */
  lineNo: number;
  /** Window offset where needle search resumes (bytes before it were searched already). */
  from: number;
  /** The carried tail is a line already known to match, waiting for its end. */
  pendingHit: boolean;
}

class NeedleScan {
  readonly found: Line[] = [];
  private readonly maxLen: number;

  constructor(private readonly needles: Buffer[]) {
    this.maxLen = Math.max(...needles.map((n) => n.length));
  }

  /**
   * Emits every complete matching line of `window`; returns the offset of the tail to carry and the
   * state for the next window (whose offset 0 will be that tail).
   */
  window(window: Buffer, eof: boolean, s: ScanState): { keepFrom: number; next: ScanState } {
    let lineNo = s.lineNo;
    let counted = 0;
    let search = s.from;
    // Each needle's next hit is kept, not searched again after every hit of another needle.
    const hits = new NeedleHits(window, this.needles);
    for (let hit = s.pendingHit ? 0 : hits.from(search); hit !== -1; hit = hits.from(search)) {
      const start = hit === 0 ? 0 : window.lastIndexOf(LF, hit - 1) + 1;
      lineNo += countNewlines(window, counted, start);
      const end = window.indexOf(LF, hit);
      if (end === -1 && !eof) return { keepFrom: start, next: { lineNo, from: 0, pendingHit: true } };
      const stop = end === -1 ? window.length : end;
      this.found.push({ line: decodeLine(window, start, stop, lineNo), lineNo });
      lineNo++;
      counted = search = stop + 1;
      if (search >= window.length) break;
    }
    const lastLf = window.lastIndexOf(LF);
    const keepFrom = Math.max(counted, lastLf + 1);
    lineNo += countNewlines(window, counted, keepFrom);
    // The kept tail was searched; only a needle starting in its last maxLen-1 bytes may continue.
    const from = Math.max(0, window.length - keepFrom - this.maxLen + 1);
    return { keepFrom, next: { lineNo, from, pendingHit: false } };
  }
}

/**
 * Lines of `file` containing any of `needles` (matched byte for byte, case-sensitive), in file order,
 * each once. Needles spanning read boundaries, CRLF endings and a last line without a newline are handled.
 */
export async function scanForNeedles(
  file: string,
  needles: string[],
  options: LineStreamOptions = {},
): Promise<Line[]> {
  // A needle with a line break can never lie within one line.
  const bytes = needleBytes(needles);
  if (bytes.length === 0) return [];
  const scan = new NeedleScan(bytes);
  return withChunkedFile(file, options.chunkSize, async (chunks) => {
    let state: ScanState = { lineNo: 1, from: 0, pendingHit: false };
    for (;;) {
      const { window, eof } = await chunks.next();
      const { keepFrom, next } = scan.window(window, eof, state);
      if (eof) return scan.found;
      chunks.keep(window, keepFrom);
      state = next;
    }
  });
}
