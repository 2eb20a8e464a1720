/**
 * `$logs` files read and scanned on the scan thread (src/logs/scan-thread.ts, the bundled dist/cli/scan-worker.mjs,
 * rebuilt by the test setup) must be counted exactly as on the main thread alone: every count the report is made
 * of, whether the thread started before the file was opened or takes over after any number of batches read on the
 * main thread; with the thread keeping the table of blobs seen (and counting plain reads) or only scanning. When it
 * dies (exits, throws) part-way, after its last batch, or on a window it sends as read, a thread that only scanned is
 * read on from on the main thread, one that kept the table is lost (ScanThreadLost: the command counts again without
 * it) — and through every shape of window: lines across chunks, a window of more lines than a batch holds,
 * a line longer than a chunk (a window the thread sends as read), a line past the line limit, CRLF, a byte order
 * mark, a last line without its newline, malformed and blank lines.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StatsAggregator } from '../../src/core/stats/aggregate.js';
import { BucketGrid } from '../../src/core/stats/buckets.js';
import { SILENT_PROGRESS } from '../../src/core/progress.js';
import { ScanThread, ScanThreadLost, type ScanThreadOptions } from '../../src/logs/scan-thread.js';
import { StatsReader } from '../../src/logs/stats-files.js';
import { AnalyticsScanner } from '../../src/parse/analytics-scanner.js';
import { stats } from '../../src/commands/stats.js';
import { testContext } from '../helpers/context.js';
import { analyticsText, MALFORMED_LINES, START, UNTIL } from '../helpers/stats-workload.js';

const WORKER = new URL('../../dist/cli/scan-worker.mjs', import.meta.url);
const ORIGIN_WORKER = new URL('../../dist/cli/origin-worker.mjs', import.meta.url);

/**
 * The scan thread, dying when `when` holds of a message it is about to post (`m`; `n` counts its batches): exiting,
 * or throwing (an 'error' event), and posting nothing more.
 */
function dying(when: string, how: 'exit' | 'throw'): URL {
  // A microtask's throw is uncaught (the worker's loop runs on microtasks: a timer would never come).
  const die = how === 'exit' ? 'process.exit(3)' : "queueMicrotask(() => { throw new Error('boom'); })";
  return new URL(
    `data:text/javascript,${encodeURIComponent(`
      import { parentPort } from 'node:worker_threads';
      const post = parentPort.postMessage.bind(parentPort);
      let n = 0;
      let dead = false;
      parentPort.postMessage = (m, transfer) => {
        if (m && m.batch) n++;
        if (!dead && (${when})) {
          dead = true;
          ${die};
        }
        if (!dead) post(m, transfer);
      };
      await import(${JSON.stringify(WORKER.href)});`)}`,
  );
}

const DYING = {
  'exiting at its sixth batch': dying('m.batch && n > 5', 'exit'),
  'throwing at its third batch': dying('m.batch && n > 2', 'throw'),
  'exiting after its last batch': dying('m.done', 'exit'),
  'exiting on a window it sends as read': dying('m.raw', 'exit'),
};

const dir = mkdtempSync(join(tmpdir(), 'cnm-scan-thread-'));
/** The line limit: the long line below is under it, the longer one past it. */
const MAX_LINE = 200_000;

/** The workload's lines, with every shape of window in between; `crlf` ends every line with CR LF. */
function workload(crlf: boolean): string {
  const lines = analyticsText('2.0').split('\n');
  const eol = crlf ? '\r\n' : '\n';
  const odd = [
    // More line feeds than a batch holds (16,384) in one window of 64 KB: several batches of one window.
    ...Array.from({ length: 40_000 }, () => ''),
    // Longer than a chunk, not past the limit: a window in the spill buffer, sent as read.
    `2.0;${'x'.repeat(3 * 65_536)}`,
    // Past the limit: skipped and counted.
    'y'.repeat(2 * MAX_LINE),
    'not a $logs line',
  ];
  const mid = lines.length >> 1;
  const all = [...lines.slice(0, mid), ...odd, ...lines.slice(mid)];
  // A byte order mark first, and no newline after the last line.
  return `\ufeff${all.join(eol).replace(/(\r?\n)+$/, '')}`;
}

const FILES = {
  LF: join(dir, 'lf.log'),
  'CR LF': join(dir, 'crlf.log'),
};
writeFileSync(FILES.LF, workload(false));
writeFileSync(FILES['CR LF'], workload(true));

afterEach(() => {
  vi.unstubAllEnvs();
});

/** How the thread is used: not at all, or how (its script, whether started first, its options). */
interface Use {
  script?: URL;
  startFirst?: boolean;
  options?: ScanThreadOptions;
  /** A file below the size: read on the main thread into the shared memory, the worker never started. */
  small?: boolean;
  /**
   * The aggregator keeps a table of blobs seen of its own (not the scanner's): nothing is counted in the scanner, and
   * the thread only scans.
   */
  ownTable?: boolean;
}

async function counted(file: string, chunkSize: number, use: Use | undefined) {
  vi.stubEnv('CNM_STATS_SCAN_THREAD_MB', use?.small ? '1000' : '0');
  vi.stubEnv('CNM_MAX_LINE_MB', String(MAX_LINE / 2 ** 20));
  const grid = new BucketGrid(Date.parse(START), Date.parse(UNTIL), 3_600_000);
  const scanner = new AnalyticsScanner(use ? true : undefined);
  const seen = use?.ownTable ? undefined : scanner.seen;
  const agg = new StatsAggregator(grid, { deployedAt: Date.parse('2026-11-24T04:00:00Z') }, 4, undefined, seen);
  const orders = { next: 0 };
  const thread = use && new ScanThread(use.script ?? WORKER, scanner, { chunkSize, ...use.options });
  if (use?.startFirst) await thread!.whenStarted();
  const reader = new StatsReader(agg, SILENT_PROGRESS, orders, scanner, thread);
  try {
    await reader.file(file, true);
  } finally {
    await thread?.close();
  }
  return {
    totals: [agg.requests, agg.conditional, agg.failures, agg.notModified, agg.expected, agg.outOfRange],
    series: agg.series.map((b) => [b.requests, b.failures, b.expected]),
    sides: [agg.before, agg.after],
    byErrorCode: [...agg.byErrorCode],
    byOrigin: [...agg.byOrigin],
    busy: agg.busy.top(100).map((b) => [b.key, b.count]),
    failing: [...agg.failing].map(([k, f]) => [k, f.requests, f.failures, f.expected, [...f.writers], f.last]),
    callers: [...agg.callers.values()],
    read: { ...reader.read, notes: reader.read.notes },
    orders: orders.next,
  };
}

const USES: Record<string, Use> = {
  'a file below the size (no worker)': { small: true },
  'the worker started first': { startFirst: true },
  'the worker starting while the file is read': {},
  ...Object.fromEntries(
    [1, 2, 3, 7, 20, 60].map((here) => [`the worker taking over after ${here} batches`, { options: { here } }]),
  ),
  ...Object.fromEntries(
    [1, 7].map((here) => [
      `the worker only scanning, taking over after ${here} batches`,
      { options: { here }, ownTable: true },
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(DYING).map(([how, script]) => [
      `the worker only scanning, ${how} (read on here)`,
      { script, startFirst: true, ownTable: true },
    ]),
  ),
};

describe('$logs read on the scan thread', () => {
  describe.each([
    ['4 KB chunks (dozens of windows, every slot reused)', 4096],
    ['64 KB chunks (a window of more lines than a batch)', 65_536],
  ])('%s', (_, chunkSize) => {
    it.each(Object.entries(FILES))('count as on the main thread alone (%s)', async (_, file) => {
      const alone = await counted(file, chunkSize, undefined);
      // The workload is there, and so are the odd lines: the long one, the one past the limit and the stray one
      // skipped and counted with the workload's malformed lines (blank lines are no request, and not counted).
      expect(alone.totals[0]).toBeGreaterThan(700);
      expect(alone.read.skipped).toBe(MALFORMED_LINES + 3);
      for (const [how, use] of Object.entries(USES)) expect(await counted(file, chunkSize, use), how).toEqual(alone);
    });

    it.each(Object.entries(DYING))('the worker keeping the table, %s: lost, not read on from', async (_, script) => {
      await expect(counted(FILES.LF, chunkSize, { script, startFirst: true })).rejects.toBeInstanceOf(ScanThreadLost);
    });
  });

  it('keeping the table, the thread counts the plain reads of blobs not seen before, and leaves the rest', async () => {
    vi.stubEnv('CNM_STATS_SCAN_THREAD_MB', '0');
    const scanner = new AnalyticsScanner(true);
    const thread = new ScanThread(WORKER, scanner, { chunkSize: 65_536 });
    await thread.whenStarted();
    const tally = { since: Date.parse(START), until: Date.parse(UNTIL), size: 3_600_000, deployedAt: undefined };
    let lines = 0;
    let left = 0;
    try {
      for await (const b of thread.batches(FILES.LF, undefined, tally)) {
        lines += b.spans.length >> 1;
        left += b.left!.length;
        // In order, each once, with a state the table can hold.
        const index = [...b.left!].map((e) => e >>> 2);
        expect(index).toEqual([...new Set(index)].sort((x, y) => x - y));
        expect([...b.left!].every((e) => (e & 3) <= 3 && e >>> 2 < b.spans.length >> 1)).toBe(true);
      }
    } finally {
      await thread.close();
    }
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(lines);
    // Every line it did not leave is in the scanner's counts (in range or out of it), for the main thread to take.
    const counts = scanner.takeCounts(24);
    expect(counts.requests).toBeGreaterThan(0);
    expect(counts.requests + counts.outOfRange).toBe(lines - left);
  });

  it('cnm stats with a scan thread lost after it kept the table: counted again without it, the same report', async () => {
    vi.stubEnv('CNM_STATS_SCAN_THREAD_MB', '0');
    // The bundle's workers, the scan thread dying at the end of the file: the thread has counted and changed the table.
    const workers = join(dir, 'workers');
    mkdirSync(workers, { recursive: true });
    const dyingSource = decodeURIComponent(
      DYING['exiting after its last batch'].href.slice('data:text/javascript,'.length),
    );
    writeFileSync(join(workers, 'scan-worker.mjs'), dyingSource);
    writeFileSync(join(workers, 'origin-worker.mjs'), `await import(${JSON.stringify(ORIGIN_WORKER.href)});`);
    const file = join(dir, 'four-times.log');
    writeFileSync(file, analyticsText('2.0').repeat(4));
    const flags = { logs: [file], since: START, until: UNTIL, deployedAt: '2026-11-24T04:00:00Z' };
    const alone = await stats(flags, testContext({}));
    const trace: string[] = [];
    // Handed over after the first batch read here: the thread reads the rest.
    const ctx = testContext({ CNM_STATS_SCAN_HERE: '1' }, { debug: true }, trace);
    const report = await stats(flags, { ...ctx, workers: pathToFileURL(`${workers}/`) });
    expect(trace).toContain('stats: reading $logs files on a worker thread');
    expect(trace).toContainEqual(
      expect.stringMatching(
        /^stats: the worker thread failed while it kept the table of blobs seen \(the worker exited with code 3\); counting again without it$/,
      ),
    );
    expect(report.totals.requests).toBeGreaterThan(2000);
    // The same report, which also says it was counted again.
    expect(report).toEqual({
      ...alone,
      notes: [
        ...alone.notes,
        'the worker thread failed while it kept the table of blobs seen (the worker exited with code 3): counted again on the main thread alone',
      ],
    });
    // A pipe is read once: the second count reads its copy.
    const fifo = join(dir, 'piped.log');
    execFileSync('mkfifo', [fifo]);
    // The writer holds the pipe open (read-write: no wait for a reader) before cnm opens it, then writes the log.
    const writer = spawn('bash', ['-c', 'exec 3<>"$1"; echo open; cat "$0" >&3', file, fifo], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    await new Promise((resolve) => writer.stdout.once('data', resolve));
    writer.stdout.resume();
    const piped = await stats({ ...flags, logs: [fifo] }, { ...ctx, workers: pathToFileURL(`${workers}/`) });
    expect(await exited).toBe(0);
    const counts = (r: typeof alone) => [r.totals, r.series, r.blobs, r.callers, r.byOrigin, r.byErrorCode];
    expect(counts(piped)).toEqual(counts(alone));
  });

  it('a file after one the thread read: the slots given back, read again from the first', async () => {
    vi.stubEnv('CNM_STATS_SCAN_THREAD_MB', '0');
    const scanner = new AnalyticsScanner(true);
    const thread = new ScanThread(WORKER, scanner, { chunkSize: 4096 });
    await thread.whenStarted();
    const lines = async () => {
      let n = 0;
      for await (const b of thread.batches(FILES.LF)) n += b.spans.length >> 1;
      return n;
    };
    try {
      const first = await lines();
      expect(first).toBeGreaterThan(17_000);
      expect(thread.usable).toBe(true);
      expect(await lines()).toBe(first);
    } finally {
      await thread.close();
    }
  });

  it('a file below the size is read on the main thread, into the shared memory, and starts no worker', async () => {
    vi.stubEnv('CNM_STATS_SCAN_THREAD_MB', '1000');
    const scanner = new AnalyticsScanner(true);
    const trace: string[] = [];
    const thread = new ScanThread(WORKER, scanner, { chunkSize: 4096, trace: (l) => trace.push(l) });
    const grid = new BucketGrid(Date.parse(START), Date.parse(UNTIL), 3_600_000);
    const agg = new StatsAggregator(grid, {}, 4, undefined, scanner.seen);
    const reader = new StatsReader(agg, SILENT_PROGRESS, { next: 0 }, scanner, thread);
    await reader.file(FILES.LF, true);
    await thread.close();
    expect(agg.requests).toBeGreaterThan(700);
    expect(trace).toEqual([]);
  });

  it('runs ahead of the main thread by its slots at most, windows sent as read included', async () => {
    // Lines longer than a chunk: every window is in the spill buffer, sent as read.
    const file = join(dir, 'long-lines.log');
    writeFileSync(file, Array.from({ length: 400 }, (_, i) => `${i};${'z'.repeat(12_000)}`).join('\n'));
    const scanner = new AnalyticsScanner(true);
    const thread = new ScanThread(WORKER, scanner, { chunkSize: 4096 });
    await thread.whenStarted();
    let lines = 0;
    try {
      for await (const b of thread.batches(file)) {
        if (lines === 0) {
          // Held up: the thread fills its slots, and waits.
          await new Promise((resolve) => setTimeout(resolve, 300));
          expect((thread as unknown as { queue: unknown[] }).queue.length).toBeLessThanOrEqual(6);
        }
        lines += b.spans.length >> 1;
      }
    } finally {
      await thread.close();
    }
    expect(lines).toBe(400);
  });

  it('closed twice at once: both calls settle', async () => {
    const thread = new ScanThread(WORKER, new AnalyticsScanner(true), { chunkSize: 4096 });
    await thread.whenStarted();
    await Promise.all([thread.close(), thread.close()]);
    expect(thread.usable).toBe(false);
  });

  it("a count that throws mid-file: the thread stops, the error is the count's", async () => {
    const scanner = new AnalyticsScanner(true);
    const thread = new ScanThread(WORKER, scanner, { chunkSize: 4096 });
    await thread.whenStarted();
    let n = 0;
    await expect(
      (async () => {
        for await (const _ of thread.batches(FILES.LF)) if (++n === 3) throw new Error('the count failed');
      })(),
    ).rejects.toThrow('the count failed');
    expect(thread.usable).toBe(false);
    await thread.close();
  });

  it('left part-way (the count failed): the thread stops and takes no other file', async () => {
    const scanner = new AnalyticsScanner(true);
    const thread = new ScanThread(WORKER, scanner, { chunkSize: 4096 });
    await thread.whenStarted();
    for await (const _ of thread.batches(FILES.LF)) break;
    expect(thread.usable).toBe(false);
  });

  it('a file the thread cannot open is the error the main thread would give', async () => {
    const scanner = new AnalyticsScanner(true);
    const thread = new ScanThread(WORKER, scanner, { chunkSize: 4096 });
    await thread.whenStarted();
    const missing = join(dir, 'gone.log');
    try {
      await expect(
        (async () => {
          for await (const _ of thread.batches(missing));
        })(),
      ).rejects.toMatchObject({ code: 'ENOENT', path: missing });
    } finally {
      await thread.close();
    }
  });
});
