/**
 * Failures judged on a worker thread while the main thread reads on. Judging a failure's origin (the classifier
 * `cnm diagnose` uses, against the blob's last requests) costs far more than counting a request: on a big log
 * with many failures it was a third of the run. The first failures are judged on the spot (a small log never
 * starts a thread); past those they go to the worker in batches, and its answers are settled in the order the
 * failures were met, so the report is the same as if every one had been judged here. A failure whose kind is cheap
 * to tell (an ETag or date failure of a service log, most of a workload's) is judged here all the same: the worker
 * costs more than it saves on those. The reader waits (`pace`)
 * when the worker falls behind, so memory stays bounded; if the worker fails, what it had not answered is judged
 * here, and so is the rest.
 */
import { Worker } from 'node:worker_threads';
import { judgeHere, judgeQuickly, type FailureDetails, type FailureJudge } from '../core/stats/failure-judge.js';
import type { StatsRecord } from '../core/stats/record.js';
import { judgeItem, RebuiltCache, SentCache, type JudgeItem } from './judge-item.js';

export interface WorkerJudgeOptions {
  /** The worker's script (origin-worker.ts as bundled). */
  script: URL;
  /** Failures judged here before the worker starts. */
  here?: number;
  /** Failures sent to the worker at a time. */
  batch?: number;
  /** Failures sent and not yet answered, at most, before the reader waits. */
  inFlight?: number;
  /**
   * Failures whose kind is cheap to tell (judgeQuickly) are judged here, and only the rest go to the worker
   * (default true; false sends every failure past `here` to the worker).
   */
  quick?: boolean;
  /** Told once, when the worker starts (the --debug trace). */
  trace?: (line: string) => void;
}

export class WorkerJudge implements FailureJudge {
  private judged = 0;
  private batch: JudgeItem[] = [];
  /** Batches sent and not yet answered, oldest first: judged here if the worker fails. */
  private readonly sent: JudgeItem[][] = [];
  private sentItems = 0;
  /** Answers told on the spot since the worker last had nothing unanswered: the aggregator holds them until then. */
  private behind = 0;
  private worker: Worker | undefined;
  private readonly wire = new SentCache();
  /** Set once the worker failed: from then on every failure is judged here. */
  private fallback: RebuiltCache | undefined;
  private wake: (() => void) | undefined;
  /** An error judging here after the worker failed: raised by drain. */
  private error: Error | undefined;

  constructor(
    private readonly settle: (d: FailureDetails) => void,
    private readonly o: WorkerJudgeOptions,
  ) {}

  judge(failed: StatsRecord, history: readonly StatsRecord[], expected: boolean): FailureDetails | undefined {
    if (this.judged++ < (this.o.here ?? 128) || (this.fallback && !this.sentItems && !this.batch.length))
      return judgeHere.judge(failed, history, expected);
    // A kind that is cheap to tell is told here (the aggregator counts it in its turn): the worker is for the rest.
    const quick = this.o.quick !== false ? judgeQuickly(failed, history, expected) : undefined;
    if (quick) {
      // Counted only after every failure before it (the aggregator holds it until then): behind an unsent batch, that
      // batch goes now, and the reader waits (pace) while too many are held.
      if (this.batch.length || this.sentItems) {
        this.behind++;
        if (this.batch.length && this.behind >= (this.o.batch ?? 256)) this.flush();
      }
      return quick;
    }
    this.batch.push({ failed: failed.portable(), history: expected ? [] : history.map((r) => r.portable()), expected });
    if (this.batch.length >= (this.o.batch ?? 256)) this.flush();
    return undefined;
  }

  /**
   * A promise when the worker is behind by more than `inFlight` failures, or more than that many answers told on the
   * spot wait behind its unanswered ones: the reader waits for its next answer.
   */
  pace(): Promise<void> | undefined {
    const most = this.o.inFlight ?? 1024;
    if (this.sentItems <= most && (this.behind <= most || !this.sentItems)) return undefined;
    return new Promise((resolve) => (this.wake = resolve));
  }

  /** Every failure judged and settled; the worker stopped. */
  async drain(): Promise<void> {
    this.flush();
    while (this.sentItems > 0) await new Promise<void>((resolve) => (this.wake = resolve));
    await this.close();
    if (this.error) throw this.error;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private flush(): void {
    if (!this.batch.length) return;
    const batch = this.batch;
    this.batch = [];
    if (this.fallback) return this.here(batch);
    this.worker ??= this.start();
    this.sent.push(batch);
    this.sentItems += batch.length;
    this.worker.postMessage(batch.map((item) => this.wire.encode(item)));
  }

  private start(): Worker {
    this.o.trace?.('stats: judging failures on a worker thread');
    // A small young generation: the worker's garbage is short-lived, and 8 MB ran the 600 MB bench faster than 16
    // or 48 (measured in one interleaved run; 2 and 4 no better).
    const w = new Worker(this.o.script, {
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 48 },
    });
    w.on('message', (details: FailureDetails[]) => {
      // An answer that comes after the worker was given up on was judged here already.
      if (this.worker !== w) return;
      this.sentItems -= this.sent.shift()!.length;
      for (const d of details) this.settle(d);
      // Nothing unanswered: whatever was told on the spot has been counted.
      if (!this.sentItems && !this.batch.length) this.behind = 0;
      this.resume();
    });
    w.on('error', (e) => this.failed(e));
    w.on('exit', (code) => {
      if (this.worker === w) this.failed(new Error(`the worker exited with code ${code}`));
    });
    return w;
  }

  /** The worker is gone: what it had not answered, and everything after, is judged here, in order. */
  private failed(e: Error): void {
    if (this.fallback) return;
    this.o.trace?.(`stats: the worker thread failed (${e.message}); judging the rest here`);
    this.fallback = new RebuiltCache();
    this.worker = undefined;
    try {
      for (const batch of this.sent.splice(0)) this.here(batch);
      this.here(this.batch.splice(0));
    } catch (err) {
      this.error ??= err instanceof Error ? err : new Error(String(err));
    }
    this.sentItems = 0;
    this.behind = 0;
    this.resume();
  }

  private here(batch: JudgeItem[]): void {
    for (const item of batch) this.settle(judgeItem(item, this.fallback!));
  }

  private resume(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
