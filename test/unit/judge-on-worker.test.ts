/**
 * Failures judged on a worker thread (src/logs/judge-on-worker.ts) must give the report judged on the main thread:
 * the same origins, callers and latest failure per blob, whatever the batch size, and when the worker dies
 * part-way. The worker is the bundled one (dist/cli/origin-worker.mjs, rebuilt by the test setup).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StatsAggregator } from '../../src/core/stats/aggregate.js';
import { BucketGrid } from '../../src/core/stats/buckets.js';
import type { FailureDetails } from '../../src/core/stats/failure-judge.js';
import { SILENT_PROGRESS } from '../../src/core/progress.js';
import { WorkerJudge, type WorkerJudgeOptions } from '../../src/logs/judge-on-worker.js';
import { StatsReader } from '../../src/logs/stats-files.js';
import { analyticsText, ndjsonText, START, UNTIL } from '../helpers/stats-workload.js';

const WORKER = new URL('../../dist/cli/origin-worker.mjs', import.meta.url);
/** A worker that answers one batch, then throws: what it had not answered must be judged on the main thread. */
const DYING = new URL(
  `data:text/javascript,${encodeURIComponent(`
    import { parentPort } from 'node:worker_threads';
    let n = 0;
    parentPort.on('message', (items) => {
      // Later than its first answer: that one reaches the main thread before the failure does.
      if (n++ > 0) setTimeout(() => { throw new Error('boom'); }, 50);
      else
      parentPort.postMessage(items.map(() => ({ kind: 'from-the-worker', caller: null, userAgent: null, identity: null })));
    });`)}`,
);

const dir = mkdtempSync(join(tmpdir(), 'cnm-judge-'));
const FILES = {
  '$logs 2.0 (lines parsed on the worker)': join(dir, 'v2.log'),
  'NDJSON captures (requests sent whole)': join(dir, 'captures.ndjson'),
};
writeFileSync(FILES['$logs 2.0 (lines parsed on the worker)'], analyticsText('2.0'));
writeFileSync(FILES['NDJSON captures (requests sent whole)'], ndjsonText());
/**
 * Every third failure a lease failure: those need the full classifier (the worker), the others are told on the spot
 * (judgeQuickly), and both kinds of answer must be counted in the order the failures were met.
 */
let nth = 0;
const MIXED = join(dir, 'mixed.log');
writeFileSync(
  MIXED,
  analyticsText('2.0').replace(/;ConditionNotMet;412;/g, (m) => (nth++ % 3 === 0 ? ';LeaseIdMissing;412;' : m)),
);

async function aggregate(file: string, options?: Omit<WorkerJudgeOptions, 'script'> & { script?: URL }) {
  let judge: WorkerJudge | undefined;
  const traced: string[] = [];
  let waits = 0;
  const agg = new StatsAggregator(
    new BucketGrid(Date.parse(START), Date.parse(UNTIL), 3_600_000),
    {},
    undefined,
    options &&
      ((settle: (d: FailureDetails) => void) =>
        (judge = counted(new WorkerJudge(settle, { script: WORKER, trace: (l) => traced.push(l), ...options })))),
  );
  function counted(j: WorkerJudge): WorkerJudge {
    const pace = j.pace.bind(j);
    j.pace = () => {
      const p = pace();
      if (p) waits++;
      return p;
    };
    return j;
  }
  await new StatsReader(agg, SILENT_PROGRESS).file(file, true);
  await judge?.drain();
  return { agg, traced, waits };
}

const picture = (agg: StatsAggregator) => ({
  byOrigin: [...agg.byOrigin],
  callers: [...agg.callers.values()],
  last: [...agg.failing].map(([key, b]) => [key, b.last]),
  failures: agg.failures,
  expected: agg.expected,
  unsettled: agg.unsettled,
});

describe('failures judged on a worker thread', () => {
  it.each(Object.entries(FILES))('%s: the same picture as judged here, in batches of any size', async (_name, file) => {
    const here = picture((await aggregate(file)).agg);
    expect(here.failures).toBeGreaterThan(50);
    for (const [first, batch] of [
      [0, 1],
      [0, 7],
      [10, 256],
    ] as const) {
      const { agg, traced } = await aggregate(file, { here: first, batch, quick: false });
      expect(picture(agg)).toEqual(here);
      expect(traced).toEqual(['stats: judging failures on a worker thread']);
    }
  });

  it('failures told on the spot and failures the worker judges are counted in the order they were met', async () => {
    const here = picture((await aggregate(MIXED)).agg);
    expect(here.byOrigin.map(([kind]) => kind)).toEqual(expect.arrayContaining(['other-writer', 'unknown']));
    for (const batch of [1, 3, 256]) {
      const { agg, traced } = await aggregate(MIXED, { here: 0, batch });
      expect(picture(agg)).toEqual(here);
      expect(traced).toEqual(['stats: judging failures on a worker thread']);
    }
    // Only ETag failures: all told on the spot, no worker started.
    const { agg, traced } = await aggregate(FILES['$logs 2.0 (lines parsed on the worker)'], { here: 0, batch: 1 });
    expect(traced).toEqual([]);
    expect(picture(agg)).toEqual(picture((await aggregate(FILES['$logs 2.0 (lines parsed on the worker)'])).agg));
  });

  it('answers told on the spot behind one the worker has not answered are held boundedly, not to the end', async () => {
    // One lease failure (the worker's) first, then 20,000 ETag failures told on the spot: each waits for the lease
    // failure's answer before it is counted, so that batch must go at once and the reader wait while too many wait.
    const ANSWER = new URL(
      `data:text/javascript,${encodeURIComponent(`
        import { parentPort } from 'node:worker_threads';
        parentPort.on('message', (items) =>
          parentPort.postMessage(items.map(() => ({ kind: 'from-the-worker', caller: null, userAgent: null, identity: null }))));`)}`,
    );
    let judge: WorkerJudge | undefined;
    const t0 = Date.parse(START);
    const agg = new StatsAggregator(
      new BucketGrid(t0, Date.parse(UNTIL), 3_600_000),
      {},
      undefined,
      (settle) => (judge = new WorkerJudge(settle, { script: ANSWER, here: 0 })),
    );
    let most = 0;
    for (let i = 0; i < 20_000; i++) {
      agg.add({
        time: new Date(t0 + i).toISOString(),
        order: i,
        operation: 'PutBlob',
        status: 412,
        errorCode: i === 0 ? 'LeaseIdMissing' : 'ConditionNotMet',
        blobKey: `/acct/c/blob-${i % 100}`,
        conditionsUsed: { ifMatch: 'Tuesday, 24-Nov-26 18:00:00 GMT' },
        source: { kind: 'analytics-log' },
      });
      most = Math.max(most, agg.unsettled);
      await agg.pace();
    }
    await judge!.drain();
    expect(most).toBeLessThan(2_000);
    expect(agg.unsettled).toBe(0);
    expect([...agg.byOrigin].sort()).toEqual([
      ['from-the-worker', 1],
      ['unknown', 19_999],
    ]);
  });

  it('a worker that dies part-way: the rest is judged here, in order, and nothing is lost', async () => {
    const file = FILES['$logs 2.0 (lines parsed on the worker)'];
    const here = picture((await aggregate(file)).agg);
    const { agg, traced } = await aggregate(file, { script: DYING, here: 0, batch: 5, quick: false });
    expect(traced[1]).toMatch(/^stats: the worker thread failed \(.*boom.*\); judging the rest here$/);
    // The first batch is the dying worker's answer (unless its failure overtook its answer: then that batch too is
    // judged here); every failure after it is judged as here.
    const got = picture(agg);
    const fromWorker = got.byOrigin.find(([kind]) => kind === 'from-the-worker')?.[1] ?? 0;
    expect([0, 5]).toContain(fromWorker);
    const total = (p: typeof here) => p.byOrigin.reduce((n, [, c]) => n + c, 0);
    expect(total(got)).toBe(total(here));
    expect(got.unsettled).toBe(0);
    expect(got.last).toEqual(here.last);
  });

  it('pace holds the reader while the worker is behind, and lets it go once it caught up', async () => {
    const file = FILES['$logs 2.0 (lines parsed on the worker)'];
    const here = picture((await aggregate(file)).agg);
    const { agg, waits } = await aggregate(file, { here: 0, batch: 1, inFlight: 1, quick: false });
    expect(waits).toBeGreaterThan(0);
    expect(picture(agg)).toEqual(here);
    expect((await aggregate(file, { here: 0, batch: 1, quick: false })).waits).toBe(0);
  });
});
