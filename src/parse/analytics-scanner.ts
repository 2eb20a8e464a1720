/**
 * The WebAssembly scanner of `cnm stats`'s `$logs` fast path (wasm/analytics-scan.as.ts), apart from what its output
 * means (analytics-fast.ts): its module and its memory. Pure.
 */
import { MAX_BUCKETS } from '../core/stats/buckets.js';
import type { CountedReads } from '../core/stats/read-plan.js';
import { SEEN_SLOTS, SeenBlobs } from '../core/stats/seen-blobs.js';
import { ANALYTICS_SCAN_SHARED_WASM, ANALYTICS_SCAN_WASM } from './wasm/analytics-scan.wasm.js';

/** i32 the scanner writes a line (analytics-scan.as.ts STRIDE). */
export const STRIDE = 52;

export interface ScannerExports {
  scan(spans: number, lines: number, out: number): void;
  warm(out: number, lines: number): void;
  tally(
    out: number,
    from: number,
    to: number,
    since: number,
    until: number,
    first: number,
    size: number,
    buckets: number,
    deployed: number,
  ): number;
  linesAt(): number;
  countsAt(): number;
}

let compiled: WebAssembly.Module | undefined;
let compiledShared: WebAssembly.Module | undefined;

/**
 * The scanner's module, compiled on first use (under a millisecond: a few kilobytes): with a memory of its own, or
 * (`shared`) on a shared memory the caller gives.
 */
function scannerModule(shared = false): WebAssembly.Module {
  if (shared) return (compiledShared ??= new WebAssembly.Module(Buffer.from(ANALYTICS_SCAN_SHARED_WASM, 'base64')));
  return (compiled ??= new WebAssembly.Module(Buffer.from(ANALYTICS_SCAN_WASM, 'base64')));
}

/** Pages of 64 KiB a shared memory may grow to: the module's own maximum (4 GiB reserved, not used). */
const MAX_PAGES = 65_536;

/**
 * One run's WebAssembly scanner (analytics-scan.as.ts): its memory holds the lines of the batch being read and, for
 * the whole run, the table of blobs seen and the reads `tally` counted. The aggregator that counts by the same
 * table is made with `seen` (core/stats/seen-blobs.ts), so that reads counted here and records counted there see
 * one table.
 *
 * A scanner made `shared` has a shared memory (whose views stay valid when it grows): the run's scan thread
 * (logs/scan-thread.ts) makes its own scanner on the same memory and scans into it the lines this one tallies.
 */
export class AnalyticsScanner {
  readonly exports: ScannerExports;
  readonly memory: WebAssembly.Memory;
  readonly seen: SeenBlobs;
  /** Where the batch's bytes go: a line's offsets in its window are counted from here. */
  readonly linesAt: number;
  /**
   * Where, past linesAt, this thread copies a batch it scans itself: 0, unless the memory from linesAt on is taken
   * (the scan thread's windows and batches).
   */
  stage = 0;

  /** `shared`: a shared memory of its own (`true`) or the one given (another thread's scanner's). */
  constructor(shared?: true | WebAssembly.Memory) {
    const memory =
      shared instanceof WebAssembly.Memory
        ? shared
        : shared
          ? new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true })
          : undefined;
    // An instance per run (or per thread of a run), on its memory.
    const instance = new WebAssembly.Instance(scannerModule(memory !== undefined), memory ? { env: { memory } } : {});
    this.exports = instance.exports as unknown as ScannerExports;
    this.memory = memory ?? (instance.exports.memory as WebAssembly.Memory);
    this.linesAt = this.exports.linesAt();
    this.reserve(this.linesAt);
    this.seen = new SeenBlobs(() => new Uint16Array(this.memory.buffer, 0, SEEN_SLOTS));
  }

  get shared(): boolean {
    return this.memory.buffer instanceof SharedArrayBuffer;
  }

  /** The buffers views() made: a shared memory's buffer is a new object after it grows, the memory the same. */
  private readonly views = new WeakSet<ArrayBufferLike>();

  /** A view of `length` bytes of the (shared) memory at `offset`, which stays valid when it grows. */
  view(offset: number, length: number): Buffer {
    if (!this.shared) throw new Error('only a shared memory is viewed: its own detaches when it grows');
    this.reserve(offset + length);
    const buffer = this.memory.buffer;
    this.views.add(buffer);
    return Buffer.from(buffer, offset, length);
  }

  /** Is `buf` a view of this scanner's memory (made by view)? */
  owns(buf: Buffer): boolean {
    return this.views.has(buf.buffer);
  }

  /** Grows the memory to at least `bytes`. */
  reserve(bytes: number): void {
    const short = bytes - this.memory.buffer.byteLength;
    if (short > 0) this.memory.grow(Math.ceil(short / 65_536));
  }

  /** The reads `tally` counted since the last call, by `buckets` buckets; its counts start again from zero. */
  takeCounts(buckets: number): CountedReads {
    // It counts into MAX_BUCKETS at most (analytics-scan.as.ts): past them is other memory.
    const counts = new Int32Array(this.memory.buffer, this.exports.countsAt(), 4 + Math.min(buckets, MAX_BUCKETS));
    const [requests, before, after, outOfRange] = counts;
    const taken = {
      requests: requests!,
      before: before!,
      after: after!,
      outOfRange: outOfRange!,
      perBucket: counts.slice(4),
    };
    counts.fill(0);
    return taken;
  }
}
