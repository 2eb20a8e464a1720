/**
 * The scan thread of `cnm stats` (a separate entry of the bundle, scripts/build.mjs; see scan-thread.ts): for each
 * `$logs` file the main thread sends, it reads the file into the shared memory's window slots, finds its lines as
 * io/line-stream.ts does, and scans each batch of lines into a batch slot with its own instance of the WebAssembly
 * scanner on the same memory; it posts each batch in order, and `done` after the file's last. The main thread
 * counts the batches (its scanner tallies and reads what this one wrote) and gives the slots back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { rawLineBatches } from '../io/line-stream.js';
import { AnalyticsScanner } from '../parse/analytics-scanner.js';
import {
  batchSlot,
  hold,
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

async function scanFile(job: ScanJob): Promise<void> {
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
      post({ raw: { slot: b, bytes, spans: copy, firstLineNo, next } }, [bytes.buffer, copy.buffer]);
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
    post({ batch: { slot: b, window: windows!.held, lines, firstLineNo, next } });
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
}
// Started: the main thread, which reads the file's start itself until now, hands the rest over. (Not counted among
// the messages posted: the main thread counts the batches it takes.)
parentPort!.postMessage({ ready: true } satisfies ScanMessage);
