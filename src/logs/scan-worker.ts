/**
 * The scan thread of `cnm stats` (a separate entry of the bundle, scripts/build.mjs; see scan-thread.ts): for each
 * `$logs` file the main thread sends, it reads the file into the shared memory's window slots, finds its lines as
 * io/line-stream.ts does, and scans each batch of lines into a batch slot with its own instance of the WebAssembly
 * scanner on the same memory; it posts each batch in order, and `done` after the file's last. The main thread
 * counts the batches (reads what this one wrote) and gives the slots back.
 *
 * When the job has a plan (`tally`), this thread also keeps the run's table of blobs seen, line by line in the order
 * of the file, as the aggregator would (core/stats/seen-blobs.ts seenAfter): it counts the plain reads of blobs not
 * seen before itself (the scanner's `tally`: most lines of a big log), and leaves every other line to the main
 * thread with its blob's state before it (`left`), which the main thread's aggregator is told instead of asking the
 * table. The table is then this thread's alone until the file's end: the main thread looks nothing up in it
 * meanwhile (its scanner's `warm`, for a window sent as read, only touches it).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BucketGrid } from '../core/stats/buckets.js';
import type { ReadPlan } from '../core/stats/read-plan.js';
import { seenAfter, type SeenState } from '../core/stats/seen-blobs.js';
import { rawLineBatches } from '../io/line-stream.js';
import { AnalyticsLines } from '../parse/analytics-fast.js';
import { AnalyticsScanner } from '../parse/analytics-scanner.js';
import {
  batchSlot,
  hold,
  leftAt,
  outAt,
  postedCount,
  spansAt,
  Stopped,
  take,
  windowAt,
  type SlotLayout,
} from './scan-slots.js';
import type { ScanJob, ScanMessage } from './scan-thread.js';
import { SlotWindows } from './slot-windows.js';

const { memory, control, layout } = workerData as {
  memory: WebAssembly.Memory;
  control: Int32Array;
  layout: SlotLayout;
};
const scanner = new AnalyticsScanner(memory);
const region = Buffer.from(memory.buffer, scanner.linesAt, layout.end);
const i32 = new Int32Array(memory.buffer);

function post(m: ScanMessage, transfer: ArrayBuffer[] = []): void {
  Atomics.add(control, postedCount(layout), 1);
  parentPort!.postMessage(m, transfer);
}

/** The plan of a job that tallies: the aggregator's, rebuilt here (its table is this scanner's, on the same memory). */
function planOf(job: ScanJob): ReadPlan | undefined {
  const t = job.tally;
  return t && { grid: new BucketGrid(t.since, t.until, t.size), deployedAt: t.deployedAt, seen: scanner.seen };
}

/**
 * Line `l` of `lines` applied to the table as the aggregator would apply it (countRead, admit): returns its blob's
 * state before it. A line the table does not meet (too long, not sure to the fast path, out of range) changes nothing.
 */
function applySeen(lines: AnalyticsLines, spans: ArrayLike<number>, l: number, plan: ReadPlan): SeenState {
  if (spans[2 * l]! < 0) return 0;
  const { kind, read } = lines.seenKind(l);
  if (kind < 0 || !(read.time >= plan.grid.since && read.time < plan.grid.until)) return 0;
  const before = plan.seen.get(read.keyHash);
  const after = seenAfter(before, kind === 0);
  if (after !== before) plan.seen.set(read.keyHash, after);
  return before;
}

/** The reader of the batches scanned here, and of the windows sent as read (scanned again in a memory of its own). */
const reader = new AnalyticsLines(scanner);
let rawReader: AnalyticsLines | undefined;

/**
 * Tallies batch slot `b` (its `lines` lines scanned): counts what the scanner can, and writes the lines left, each
 * `index << 2 | state before it`, at the slot's leftAt. Returns how many were left.
 */
function tallyBatch(b: number, lines: number, plan: ReadPlan): number {
  const spans = new Int32Array(memory.buffer, scanner.linesAt + spansAt(layout, b), 2 * lines);
  reader.adopt(region, spans, scanner.linesAt + outAt(layout, b), lines);
  const at = (scanner.linesAt + leftAt(layout, b)) >> 2;
  let left = 0;
  for (let l = 0; l < lines; l++) {
    l = reader.tally(l, lines, plan);
    if (l === lines) break;
    i32[at + left++] = (l << 2) | applySeen(reader, spans, l, plan);
  }
  return left;
}

/** A window sent as read: every line left to the main thread (which scans it), each with its blob's state before it. */
function tallyRaw(window: Buffer, spans: Int32Array, plan: ReadPlan): Int32Array {
  rawReader ??= new AnalyticsLines(new AnalyticsScanner());
  const lines = spans.length >> 1;
  const left = new Int32Array(lines);
  for (let from = 0; from < lines; from += AnalyticsLines.MAX_LINES) {
    const to = Math.min(lines, from + AnalyticsLines.MAX_LINES);
    rawReader.scan(window, spans, from, to);
    for (let l = from; l < to; l++) left[l] = (l << 2) | applySeen(rawReader, spans, l, plan);
  }
  return left;
}

async function scanFile(job: ScanJob): Promise<void> {
  const plan = planOf(job);
  let windows: SlotWindows | undefined;
  let b = 0;
  const batches = rawLineBatches(
    job.file,
    { chunkSize: layout.chunkSize, maxLineBytes: job.maxLineBytes },
    (handle) => (windows = new SlotWindows(handle, region, control, layout, job.from.offset)),
    job.from,
  );
  for await (const { window, spans, firstLineNo, next } of batches) {
    const lines = spans.length >> 1;
    if (lines === 0) continue;
    // Every batch holds a batch slot until the main thread has counted it: the worker runs ahead by the slots at most.
    take(control, layout, batchSlot(layout, b));
    if (!(window.buffer instanceof SharedArrayBuffer)) {
      // A window in the spill buffer (a line longer than a chunk): sent as it is, for the main thread to scan.
      const bytes = Uint8Array.prototype.slice.call(window);
      const copy = Int32Array.from(spans);
      const left = plan && tallyRaw(window, copy, plan);
      const transfer = [bytes.buffer, copy.buffer, ...(left ? [left.buffer as ArrayBuffer] : [])];
      post({ raw: { slot: b, bytes, spans: copy, firstLineNo, next, left } }, transfer);
      b = (b + 1) % layout.batches;
      continue;
    }
    hold(control, windows!.held);
    // The lines' offsets from linesAt, as the scanner and the main thread read them (-1: a line too long to read).
    const shift = window.byteOffset - region.byteOffset;
    const at = (scanner.linesAt + spansAt(layout, b)) >> 2;
    for (let i = 0; i < 2 * lines; i++) {
      const s = spans[i]!;
      i32[at + i] = s < 0 ? s : s + shift;
    }
    scanner.exports.scan(scanner.linesAt + spansAt(layout, b), lines, scanner.linesAt + outAt(layout, b));
    const left = plan && tallyBatch(b, lines, plan);
    post({ batch: { slot: b, window: windows!.held, lines, firstLineNo, next, left } });
    b = (b + 1) % layout.batches;
  }
  post({ done: true });
}

parentPort!.on('message', (job: ScanJob) => {
  scanFile(job).catch((e: unknown) => {
    // Stopped: the main thread reads no more, and asks for nothing else.
    if (e instanceof Stopped) return;
    const err = e as NodeJS.ErrnoException;
    post({ error: { message: err.message ?? String(e), code: err.code, syscall: err.syscall, path: err.path } });
  });
});
// The slots' pages touched once, while the main thread reads the file's start: a page's first touch costs a fault
// (tens of microseconds here), and the first batches of each slot were several times slower. Only what a batch of a
// chunk's lines uses: a window's chunk and tail, a batch's first few thousand lines.
const touch = (from: number, bytes: number) => {
  const page = new Int32Array(memory.buffer, scanner.linesAt + from, bytes >> 2);
  for (let i = 0; i < page.length; i += 1024) page[i] = 0;
};
const tail = Math.min(layout.chunkSize, 65_536);
for (let w = 0; w < layout.windows; w++) touch(windowAt(layout, w) + layout.chunkSize - tail, layout.chunkSize + tail);
for (let b = 0; b < layout.batches; b++) {
  touch(spansAt(layout, b), 4096 * 8);
  touch(outAt(layout, b), 4096 * 208);
  touch(leftAt(layout, b), 4096 * 4);
}
// Started: the main thread, which reads the file's start itself until now, hands the rest over. (Not counted among
// the messages posted: the main thread counts the batches it takes.)
parentPort!.postMessage({ ready: true } satisfies ScanMessage);
