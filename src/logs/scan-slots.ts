/**
 * How the scan thread of `cnm stats` (scan-thread.ts, scan-worker.ts) and the main thread share the scanner's memory
 * (parse/analytics-scanner.ts AnalyticsScanner, shared): from its linesAt on, `windows` window slots, each a file chunk
 * after the tail of the chunk before it (as io/chunk-window.ts lays out its buffers), then `batches` batch slots,
 * each the spans of a batch's lines and what the scanner wrote of them. A slot is taken by one side and given back by
 * the other through a shared count per slot (0: free): the reader holds its current window, and every batch posted
 * holds its window and its own slot until the main thread has counted it. Offsets here are from linesAt.
 */
import { BATCH_LINES } from '../io/line-stream.js';
import { STRIDE } from '../parse/analytics-scanner.js';

/** Bytes the scanner writes a line. */
const STRIDE_BYTES = STRIDE * 4;

export interface SlotLayout {
  chunkSize: number;
  windows: number;
  batches: number;
  /** Bytes of a window slot: room for a tail of up to a chunk, the chunk, and the sixteen a SIMD load reads past. */
  windowBytes: number;
  /**
   * Bytes of a batch slot: two i32 a line of spans, then STRIDE_BYTES a line of the scanner's output, then an i32 a
   * line for the lines the scan thread left to the main thread (scan-worker.ts).
   */
  batchBytes: number;
  /** Bytes of all slots: the main thread scans what it scans itself past them. */
  end: number;
}

const align = (n: number) => (n + 63) & ~63;

/**
 * Six windows and six batches (a 1 MB chunk of `$logs` is one batch of about 2,000 lines): the scan thread banks up to
 * five batches while the main thread is held up (a garbage collection, a run of failures to judge), so that it does
 * not then wait for the scan thread. With three, the main thread sat idle about 90 ms of a 600 MB run; with six, about
 * 60 (and each slot's pages cost a fault the first time: more slots, a slower start).
 */
export function slotLayout(chunkSize: number, windows = 6, batches = 6): SlotLayout {
  const windowBytes = align(2 * chunkSize + 64);
  const batchBytes = align(BATCH_LINES * 8 + BATCH_LINES * STRIDE_BYTES + BATCH_LINES * 4);
  return { chunkSize, windows, batches, windowBytes, batchBytes, end: windows * windowBytes + batches * batchBytes };
}

export const windowAt = (l: SlotLayout, w: number) => w * l.windowBytes;
export const spansAt = (l: SlotLayout, b: number) => l.windows * l.windowBytes + b * l.batchBytes;
export const outAt = (l: SlotLayout, b: number) => spansAt(l, b) + BATCH_LINES * 8;
export const leftAt = (l: SlotLayout, b: number) => outAt(l, b) + BATCH_LINES * STRIDE_BYTES;

/**
 * The shared counts: one per window slot, one per batch slot, then a stop flag the main thread raises when it reads
 * no more (the scan thread then stops where it waits), and how many messages the scan thread has posted.
 */
export function controlOf(l: SlotLayout): Int32Array {
  return new Int32Array(new SharedArrayBuffer((l.windows + l.batches + 2) * 4));
}

export const batchSlot = (l: SlotLayout, b: number) => l.windows + b;
const stopFlag = (l: SlotLayout) => l.windows + l.batches;
export const postedCount = (l: SlotLayout) => l.windows + l.batches + 1;

/** Thrown on the scan thread when the main thread stopped reading. */
export class Stopped extends Error {
  constructor() {
    super('the main thread stopped reading');
  }
}

/**
 * Takes slot `i` once free (on the scan thread; only it takes slots). It is woken when the main thread is about to
 * run out of batches (give), and else looks again every `poll` ms: a wake (Atomics.notify, a futex call) for every
 * batch given back cost the main thread more than the scan thread's looking costs it.
 */
export function take(control: Int32Array, l: SlotLayout, i: number, poll = 1): void {
  for (;;) {
    if (Atomics.load(control, stopFlag(l)) !== 0) throw new Stopped();
    if (Atomics.compareExchange(control, i, 0, 1) === 0) return;
    Atomics.wait(control, i, Atomics.load(control, i), poll);
  }
}

/** One more holder of slot `i` (a batch of a window the reader holds). */
export function hold(control: Int32Array, i: number): void {
  Atomics.add(control, i, 1);
}

/** One holder fewer of slot `i`: free when none is left. `wake`: the scan thread is woken if it waits for it. */
export function give(control: Int32Array, i: number, wake = true): void {
  Atomics.sub(control, i, 1);
  if (wake) Atomics.notify(control, i);
}

/** The main thread reads no more: the scan thread stops. */
export function stop(control: Int32Array, l: SlotLayout): void {
  Atomics.store(control, stopFlag(l), 1);
  for (let i = 0; i < control.length; i++) Atomics.notify(control, i);
}
