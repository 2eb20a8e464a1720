/**
 * `$logs` files read and scanned on the scan thread (src/logs/scan-thread.ts, the bundled dist/cli/scan-worker.mjs,
 * rebuilt by the test setup) must be counted exactly as on the main thread alone: every count the report is made
 * of, whether the thread started before the file was opened, part-way (the main thread hands over at a line), or
 * died part-way (the main thread reads on), and through every shape of window: lines across chunks, a window of more
 * lines than a batch holds, a line longer than a chunk (a window the thread sends as read), a line past the line
 * limit, CRLF, a byte order mark, a last line without its newline, malformed and blank lines.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StatsAggregator } from '../../src/core/stats/aggregate.js';
import { BucketGrid } from '../../src/core/stats/buckets.js';
import { SILENT_PROGRESS } from '../../src/core/progress.js';
import { ScanThread } from '../../src/logs/scan-thread.js';
import { StatsReader } from '../../src/logs/stats-files.js';
import { AnalyticsScanner } from '../../src/parse/analytics-scanner.js';
import { analyticsText, MALFORMED_LINES, START, UNTIL } from '../helpers/stats-workload.js';

const WORKER = new URL('../../dist/cli/scan-worker.mjs', import.meta.url);
/** The scan thread, dying as it posts its sixth batch: the main thread must read on from the line after the fifth. */
const DYING = new URL(
  `data:text/javascript,${encodeURIComponent(`
    import { parentPort } from 'node:worker_threads';
    const post = parentPort.postMessage.bind(parentPort);
    let batches = 0;
    parentPort.postMessage = (m, transfer) => {
      if (m && m.batch && ++batches > 5) process.exit(3);
      post(m, transfer);
    };
    await import(${JSON.stringify(WORKER.href)});`)}`,
);

const dir = mkdtempSync(join(tmpdir(), 'cnm-scan-thread-'));
/** Small chunks: the test files cross dozens of windows, and every slot is reused many times. */
const CHUNK = 4096;

/** The workload's lines, with every shape of window in between; `crlf` ends every line with CR LF. */
function workload(crlf: boolean): string {
  const lines = analyticsText('2.0').split('\n');
  const eol = crlf ? '\r\n' : '\n';
  const odd = [
    // More lines than a batch holds (16,384) in one window of blank lines: several batches of one window.
    ...Array.from({ length: 17_000 }, () => ''),
    // Longer than a chunk, not past the limit: a window in the spill buffer, sent as read.
    `2.0;${'x'.repeat(3 * CHUNK)}`,
    // Past the limit (CNM_MAX_LINE_MB below): skipped and counted.
    'y'.repeat(40_000),
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

/**
 * How the thread is used: not at all; its worker not started (a file below the size, read into the shared memory on
 * the main thread); started before the file is read; starting while it is read; dying part-way.
 */
type Mode = 'main thread alone' | 'small file' | 'started first' | 'starting while read' | 'dying part-way';

async function counted(file: string, mode: Mode) {
  // Every file on the thread however small; the line limit between the long line and the longer one.
  vi.stubEnv('CNM_STATS_SCAN_THREAD_MB', mode === 'small file' ? '1000' : '0');
  vi.stubEnv('CNM_MAX_LINE_MB', String(20_000 / 2 ** 20));
  const grid = new BucketGrid(Date.parse(START), Date.parse(UNTIL), 3_600_000);
  const scanner = new AnalyticsScanner(mode === 'main thread alone' ? undefined : true);
  const agg = new StatsAggregator(grid, { deployedAt: Date.parse('2026-11-24T04:00:00Z') }, 4, undefined, scanner.seen);
  const orders = { next: 0 };
  let thread: ScanThread | undefined;
  if (mode !== 'main thread alone') {
    thread = new ScanThread(mode === 'dying part-way' ? DYING : WORKER, scanner, { chunkSize: CHUNK });
    if (mode === 'started first' || mode === 'dying part-way') await thread.whenStarted();
  }
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

describe('$logs read on the scan thread', () => {
  it.each(Object.entries(FILES))('count as on the main thread alone (%s)', async (_, file) => {
    const alone = await counted(file, 'main thread alone');
    // The workload is there, and so are the odd lines: the long one, the one past the limit and the stray one
    // skipped and counted with the workload's malformed lines (blank lines are no request, and not counted).
    expect(alone.totals[0]).toBeGreaterThan(700);
    expect(alone.read.skipped).toBe(MALFORMED_LINES + 3);
    for (const mode of ['small file', 'started first', 'starting while read', 'dying part-way'] as const)
      expect(await counted(file, mode), mode).toEqual(alone);
  });

  it('a file after one the thread read: the slots given back, read again from the first', async () => {
    vi.stubEnv('CNM_STATS_SCAN_THREAD_MB', '0');
    const scanner = new AnalyticsScanner(true);
    const thread = new ScanThread(WORKER, scanner, { chunkSize: CHUNK });
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
    const thread = new ScanThread(WORKER, scanner, { chunkSize: CHUNK, trace: (l) => trace.push(l) });
    const grid = new BucketGrid(Date.parse(START), Date.parse(UNTIL), 3_600_000);
    const agg = new StatsAggregator(grid, {}, 4, undefined, scanner.seen);
    const reader = new StatsReader(agg, SILENT_PROGRESS, { next: 0 }, scanner, thread);
    await reader.file(FILES.LF, true);
    await thread.close();
    expect(agg.requests).toBeGreaterThan(700);
    expect(trace).toEqual([]);
  });

  it('left part-way (the count failed): the thread stops and takes no other file', async () => {
    const scanner = new AnalyticsScanner(true);
    const thread = new ScanThread(WORKER, scanner, { chunkSize: CHUNK });
    await thread.whenStarted();
    for await (const _ of thread.batches(FILES.LF)) break;
    expect(thread.usable).toBe(false);
  });

  it('a file the thread cannot open is the error the main thread would give', async () => {
    const scanner = new AnalyticsScanner(true);
    const thread = new ScanThread(WORKER, scanner, { chunkSize: CHUNK });
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
