/**
 * `cnm stats` over a big `$logs` file on two threads: a worker (scan-worker.ts) reads the file, finds its lines and
 * scans them into the shared memory of the run's scanner, while the main thread counts them (records, the judging of
 * failures) a batch or two behind. Reading, finding lines and scanning were about a third of the main thread's time;
 * they now run beside the rest.
 *
 * When the aggregator counts plain reads by the scanner's table of blobs seen (its read plan), the worker also keeps
 * that table, line by line in the order of the file, by the aggregator's own rule (core/stats/seen-blobs.ts
 * seenAfter), and counts the plain reads of blobs not seen before (most lines of a big log) itself. It leaves every
 * other line to the main thread with its blob's state before it, which the aggregator is told in place of asking the
 * table. Every other decision that depends on the order of the log (the bounded counter of busy blobs, the history a
 * failure is judged against) stays on the main thread, so the counts are those of one thread
 * (test/unit/stats-scan-thread.test.ts holds the two to each other).
 *
 * A worker takes tens of milliseconds to start: until it has, the main thread reads the file itself (straight into
 * the scanner's memory, counting by the table itself), and the worker goes on from the line after. If a worker that
 * only scanned dies, the main thread reads on from the line after the last batch it counted. One that kept the table
 * may have changed it for lines the main thread has not counted: that is ScanThreadLost, and the command counts again
 * from the start without the thread (commands/stats.ts).
 */
import type { FileHandle } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { ChunkWindow, DEFAULT_CHUNK_SIZE } from '../io/chunk-window.js';
import { maxLineBytes as defaultMaxLineBytes } from '../io/chunk-window.js';
import { rawLineBatches, type RawLineBatch, type ReadFrom } from '../io/line-stream.js';
import type { AnalyticsScanner } from '../parse/analytics-scanner.js';
import {
  batchSlot,
  controlOf,
  give,
  leftAt,
  outAt,
  postedCount,
  slotLayout,
  spansAt,
  stop,
  type SlotLayout,
} from './scan-slots.js';

/**
 * The aggregator's plan for counting plain reads (core/stats/read-plan.ts), as numbers: the scan thread rebuilds it
 * on its side of the memory, whose table of blobs seen it then keeps (scan-worker.ts).
 */
export interface TallyJob {
  since: number;
  until: number;
  /** The bucket size, ms. */
  size: number;
  deployedAt: number | undefined;
}

export interface ScanJob {
  file: string;
  /** Where the main thread's reading of the file stopped. */
  from: ReadFrom;
  maxLineBytes?: number;
  tally?: TallyJob;
}

/**
 * What the scan thread posts, in order: a file's batches, then `done` (or `error`); `ready` once, when started. A
 * batch of a job that tallies says which of its lines it left to the main thread (`left`: how many, at the slot's
 * leftAt; with a window sent as read, the list).
 */
export type ScanMessage =
  | {
      batch: {
        slot: number;
        window: number;
        lines: number;
        firstLineNo: number;
        next: number | undefined;
        left: number | undefined;
      };
    }
  | {
      raw: {
        slot: number;
        bytes: Uint8Array;
        spans: Int32Array;
        firstLineNo: number;
        next: number | undefined;
        left: Int32Array | undefined;
      };
    }
  | { done: true }
  | { ready: true }
  | { error: { message: string; code?: string; syscall?: string; path?: string } };

type Posted = Exclude<ScanMessage, { ready: true }>;

/**
 * The scan thread is woken when it is fewer batches ahead than this; else it finds the slots given back when it next
 * looks (scan-slots.ts take: a wake is a futex call, and one for every batch cost the main thread ~35 ms of a 600 MB
 * run).
 */
const WAKE_BELOW = 3;

/**
 * A batch of lines; `scanned` when the scan thread scanned it (its output at `outAt`, in the scanner's memory);
 * `left` when it also tallied it: the lines it did not count, each `index << 2 | its blob's state before it` (the
 * table of blobs seen is the scan thread's until the file's end).
 */
export interface ScannedBatch extends RawLineBatch {
  scanned?: { outAt: number; lines: number };
  left?: Int32Array;
}

/**
 * The scan thread failed after it was given a file to keep the table of blobs seen by: it may have changed the table
 * for lines the main thread has not counted, which cannot be told apart, so the run counts again from the start
 * without it (commands/stats.ts). (Also when it died before its first change, or after its last batch: rare, and
 * counting again is always right.)
 */
export class ScanThreadLost extends Error {
  constructor(readonly reason: string) {
    super(`the worker thread failed while it kept the table of blobs seen (${reason})`);
  }
}

export interface ScanThreadOptions {
  /** Bytes read at a time (as io/chunk-window.ts; tests use small ones to cross many windows). */
  chunkSize?: number;
  /** Told once, when the thread starts, and if it fails (the --debug trace). */
  trace?: (line: string) => void;
  /**
   * Batches of a big file read on the main thread before the worker takes over, however soon it has started (by
   * default, until it has: tests set it to hand over at every point).
   */
  here?: number;
}

export class ScanThread {
  /** Started when a file is first given to it (a run of small files never starts one). */
  private worker: Worker | undefined;
  private readonly layout: SlotLayout;
  private readonly control: Int32Array;
  private readonly region: Buffer;
  /**
   * Where this thread reads a file itself (a small one, or a big one's start): in the scanner's memory, so it is
   * scanned where it is, not copied (a copy into a shared memory is slow in V8: relaxed atomics).
   */
  private readonly halves: [Buffer, Buffer];
  private readonly queue: Posted[] = [];
  private wake: (() => void) | undefined;
  /** Set when the worker failed (an error it threw, or its exit): from then on the main thread reads. */
  private failure: Error | undefined;
  /** Set while a file is read: one at a time. */
  private busy = false;
  /** Set once a file was left part-read: the thread is stopped, and reads no other. */
  private stopped = false;
  /** Set when the thread has started (it takes a file from then on). */
  private ready = false;
  private startedNow: () => void = () => undefined;
  private readonly started = new Promise<void>((resolve) => (this.startedNow = resolve));
  /** Messages taken from the thread (it counts those it posted: the difference is how far ahead it is). */
  private taken = 0;

  /** `scanner`: the run's, made shared; from its linesAt on, its memory is this thread's (it scans past the slots). */
  constructor(
    private readonly script: URL,
    private readonly scanner: AnalyticsScanner,
    private readonly options: ScanThreadOptions = {},
  ) {
    if (!scanner.shared) throw new Error('the scan thread needs a shared scanner');
    const chunk = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.layout = slotLayout(chunk);
    // Past the slots: the two buffers this thread reads into (as io/chunk-window.ts does), then what it scans itself
    // that was not read there.
    const halvesAt = scanner.linesAt + this.layout.end;
    scanner.stage = this.layout.end + 4 * chunk;
    this.control = controlOf(this.layout);
    this.region = scanner.view(scanner.linesAt, this.layout.end);
    this.halves = [scanner.view(halvesAt, 2 * chunk), scanner.view(halvesAt + 2 * chunk, 2 * chunk)];
  }

  /** Starts the worker (once); settles when it has started, or failed first. */
  whenStarted(): Promise<void> {
    this.start();
    return this.started;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    this.options.trace?.('stats: reading $logs files on a worker thread');
    const w = new Worker(this.script, {
      workerData: { memory: this.scanner.memory, control: this.control, layout: this.layout },
    });
    w.on('message', (m: ScanMessage) => this.push(m));
    w.on('error', (e) => this.fail(e));
    w.on('exit', (code) => this.fail(new Error(`the worker exited with code ${code}`)));
    return (this.worker = w);
  }

  /** Can it read a file now (not stopped, not failed, not reading another)? */
  get usable(): boolean {
    return !this.stopped && !this.failure && !this.busy;
  }

  /**
   * The lines of a regular file read on this thread alone, into the scanner's memory (scanned where they are): a file
   * too small to be worth the worker. Undefined while another file is read.
   */
  here(file: string, maxLineBytes?: number): AsyncGenerator<ScannedBatch> | undefined {
    if (this.busy) return undefined;
    return this.readAlone(file, maxLineBytes);
  }

  private async *readAlone(file: string, maxLineBytes: number | undefined): AsyncGenerator<ScannedBatch> {
    // Taken when read, not when asked for: a reader that never reads leaves it free.
    this.busy = true;
    try {
      yield* this.readHere(file, { offset: 0, lineNo: 1 }, maxLineBytes, false);
    } finally {
      this.busy = false;
    }
  }

  /**
   * The lines of `file` as batches the scan thread scanned (or, for a window it could not place, as read): each is
   * valid until the next is asked for, when its slots go back to the scan thread.
   */
  async *batches(file: string, maxLine?: number, tally?: TallyJob): AsyncGenerator<ScannedBatch> {
    this.busy = true;
    this.start();
    // One line limit on both threads: the worker's environment is a copy taken when it started.
    const maxLineBytes = maxLine ?? defaultMaxLineBytes();
    let done = false;
    try {
      // Until the thread has started, the file is read here; then from the line after the last batch read here.
      let from: ReadFrom | undefined = { offset: 0, lineNo: 1 };
      if (!this.ready || this.options.here !== undefined) {
        from = yield* this.readHere(file, from, maxLineBytes, true);
        if (from) this.options.trace?.(`stats: the worker thread reads on from line ${from.lineNo} of ${file}`);
      }
      // Sent to the thread: if it kept the table of blobs seen, a failure cannot be read on from.
      const sent = from !== undefined && !this.failure;
      if (sent) from = yield* this.readThere(file, from!, maxLineBytes, tally);
      // The thread failed part-way: the rest is read here, unless it kept the table (then it is counted again).
      if (from && sent && tally) throw new ScanThreadLost(this.failure?.message ?? 'it stopped');
      if (from) {
        this.options.trace?.(`stats: the worker thread failed (${this.failure?.message}); reading on here`);
        yield* this.readHere(file, from, maxLineBytes, false);
      }
      done = true;
    } finally {
      this.busy = false;
      // Left before its end (an error while counting): the thread stops where it is, and reads nothing more.
      if (!done && !this.failure) await this.close();
    }
  }

  /**
   * The file from `from` read on this thread: to its end (returns undefined), or, `handing` over, until the thread
   * has started (returns where it goes on).
   */
  private async *readHere(
    file: string,
    from: ReadFrom,
    maxLineBytes: number | undefined,
    handing: boolean,
  ): AsyncGenerator<ScannedBatch, ReadFrom | undefined> {
    const chunkSize = this.layout.chunkSize;
    // Into the scanner's memory: scanned where it is.
    const windows = (h: FileHandle, size: number) => new ChunkWindow(h, size, this.halves, from.offset);
    let read = 0;
    for await (const batch of rawLineBatches(file, { maxLineBytes, chunkSize }, windows, from)) {
      yield batch;
      read++;
      if (!handing || batch.next === undefined) continue;
      const here = this.options.here;
      // Told to read so many here: then the worker takes over, once it has started.
      if (here !== undefined && read >= here) await this.started;
      if (this.ready && (here === undefined || read >= here))
        return { offset: batch.next, lineNo: batch.firstLineNo + (batch.spans.length >> 1) };
    }
    return undefined;
  }

  /** The file from `from` read on the scan thread: to its end (undefined), or until it failed (where to go on). */
  private async *readThere(
    file: string,
    from: ReadFrom,
    maxLineBytes: number | undefined,
    tally: TallyJob | undefined,
  ): AsyncGenerator<ScannedBatch, ReadFrom | undefined> {
    this.start().postMessage({ file, from, maxLineBytes, tally } satisfies ScanJob);
    let resume = from;
    for (;;) {
      const m = await this.take();
      if (!m) return resume;
      if ('done' in m) return undefined;
      if ('error' in m) throw Object.assign(new Error(m.error.message), m.error);
      const batch = 'raw' in m ? m.raw : m.batch;
      const lines = 'raw' in m ? m.raw.spans.length >> 1 : m.batch.lines;
      if ('raw' in m) {
        try {
          yield {
            window: Buffer.from(m.raw.bytes.buffer),
            spans: m.raw.spans,
            firstLineNo: m.raw.firstLineNo,
            left: m.raw.left,
          };
        } finally {
          // It held a batch slot (so that the worker cannot run ahead by more than the slots): given back.
          give(this.control, batchSlot(this.layout, m.raw.slot), true);
        }
      } else {
        const { slot, window, firstLineNo, left } = m.batch;
        const base = this.scanner.linesAt;
        try {
          yield {
            window: this.region,
            spans: new Int32Array(
              this.scanner.memory.buffer,
              this.scanner.linesAt + spansAt(this.layout, slot),
              2 * lines,
            ),
            firstLineNo,
            scanned: { outAt: base + outAt(this.layout, slot), lines },
            left:
              left === undefined
                ? undefined
                : new Int32Array(this.scanner.memory.buffer, base + leftAt(this.layout, slot), left),
          };
        } finally {
          // Counted (or left): its slots go back. The scan thread is woken only when it is less than WAKE_BELOW
          // batches ahead: else it finds them when it next looks.
          const wake = Atomics.load(this.control, postedCount(this.layout)) - this.taken < WAKE_BELOW;
          give(this.control, batchSlot(this.layout, slot), wake);
          give(this.control, window, wake);
        }
      }
      if (batch.next !== undefined) resume = { offset: batch.next, lineNo: batch.firstLineNo + lines };
    }
  }

  private closing: Promise<void> | undefined;

  /** Stops the worker (once: a second call waits for the first). */
  close(): Promise<void> {
    this.closing ??= this.stopWorker();
    return this.closing;
  }

  private async stopWorker(): Promise<void> {
    this.stopped = true;
    stop(this.control, this.layout);
    await this.worker?.terminate();
  }

  private push(m: ScanMessage): void {
    if ('ready' in m) {
      this.ready = true;
      this.startedNow();
      return;
    }
    this.queue.push(m);
    this.resume();
  }

  private fail(e: Error): void {
    // Its exit when closed is no failure.
    if (this.closing) return;
    this.failure ??= e;
    this.startedNow();
    this.resume();
  }

  private resume(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The thread's next message; undefined once it failed (what it posted before is taken first). */
  private async take(): Promise<Posted | undefined> {
    for (;;) {
      const m = this.queue.shift();
      if (m) {
        this.taken++;
        return m;
      }
      if (this.failure) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
