/**
 * The scan thread's windows (scan-worker.ts): a file's chunks read straight into the window slots of the shared
 * memory (scan-slots.ts), each after the tail of the window before, as io/chunk-window.ts does in its own two
 * buffers. A copy into a shared memory is slow in V8 (relaxed atomics, byte by byte), so the chunk is read into its
 * place and only the tail, a part of one line, is copied. The thread may block (Atomics.wait) and read synchronously:
 * it has nothing else to do. A tail longer than a chunk (a line longer than a chunk) goes through a spill buffer of
 * its own, whose window is then not in the shared memory: the caller sends it as it is.
 */
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { CarriedTail, type WindowSource } from '../io/chunk-window.js';
import { give, take, windowAt, type SlotLayout } from './scan-slots.js';

export class SlotWindows implements WindowSource {
  private turn = 0;
  /** The window slot of the window handed out last (-1: none, or the spill buffer). */
  held = -1;
  private readonly tail = new CarriedTail();

  constructor(
    private readonly handle: FileHandle,
    /** The shared memory from the scanner's linesAt on. */
    private readonly region: Buffer,
    private readonly control: Int32Array,
    private readonly layout: SlotLayout,
    /** The file offset of the first chunk. */
    private position = 0,
  ) {}

  /** Synchronous inside (the interface is a reader's that awaits). */
  next(): Promise<{ window: Buffer; carried: number; eof: boolean }> {
    const { chunkSize } = this.layout;
    const w = this.turn;
    this.turn = (w + 1) % this.layout.windows;
    take(this.control, this.layout, w);
    const slot = this.region.subarray(windowAt(this.layout, w), windowAt(this.layout, w) + this.layout.windowBytes);
    const bytesRead = readSync(this.handle.fd, slot, chunkSize, chunkSize, this.position);
    this.position += bytesRead;
    const carried = this.tail.length;
    const spilled = !this.tail.fits(chunkSize);
    const window = this.tail.window(slot, chunkSize, bytesRead);
    let held = w;
    if (spilled) {
      // Not in the slot: it is free again at once.
      give(this.control, w);
      held = -1;
    }
    // The tail is out of the window before: the reader lets go of it (its batches still hold it).
    this.release();
    this.held = held;
    return Promise.resolve({ window, carried, eof: bytesRead === 0 });
  }

  drop(): void {
    this.tail.drop();
  }

  keep(window: Buffer, from: number): void {
    this.tail.keep(window, from);
  }

  /** Reads are synchronous: nothing is in flight. The reader lets go of its last window. */
  settle(): Promise<void> {
    this.release();
    return Promise.resolve();
  }

  private release(): void {
    if (this.held >= 0) give(this.control, this.held);
    this.held = -1;
  }
}
