/**
 * e2e of `cnm stats` on a generated workload with known answers (test/helpers/stats-workload.ts): the same events
 * as `$logs` 1.0 and 2.0, PT1H.json resource logs and NDJSON captures must give the same picture, and every option
 * and exit code behaves as documented.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/run-cli.js';
import {
  analyticsText,
  DEPLOY,
  EXPECTED,
  HOT,
  MALFORMED_LINES,
  ndjsonText,
  OUTSIDE,
  OWNERSHIP,
  resourceText,
  START,
  UNTIL,
} from '../helpers/stats-workload.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-stats-'));
const FILES = {
  '$logs 1.0': join(dir, 'all', 'v1.log'),
  '$logs 2.0': join(dir, 'all', 'v2.log'),
  'resource logs (PT1H.json)': join(dir, 'all', 'PT1H.json'),
  'NDJSON captures': join(dir, 'all', 'captures.ndjson'),
};
const V2 = FILES['$logs 2.0'];
const RANGE = ['--since', START, '--until', UNTIL];

beforeAll(() => {
  mkdirSync(join(dir, 'all'));
  writeFileSync(FILES['$logs 1.0'], analyticsText('1.0'));
  writeFileSync(V2, analyticsText('2.0'));
  writeFileSync(FILES['resource logs (PT1H.json)'], resourceText());
  writeFileSync(FILES['NDJSON captures'], ndjsonText());
});

const stats = (args: string[], env = cleanEnv()) => runCli(['stats', ...args], env);
const json = async (args: string[]) => {
  const r = await stats([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('cnm stats: the same workload in every format gives the same picture', () => {
  it.each(Object.entries(FILES))('%s', async (format, file) => {
    const j = await json(['--logs', file, ...RANGE, '--bucket', '1h', '--deployed-at', DEPLOY]);
    expect(j).toMatchObject({
      command: 'stats',
      range: { since: '2026-11-24T00:00:00.000Z', until: '2026-11-24T09:00:00.000Z' },
      bucket: 'PT1H',
      totals: {
        requests: EXPECTED.requests,
        conditional: EXPECTED.conditional,
        failures: EXPECTED.failures,
        rate: EXPECTED.failures / EXPECTED.requests,
        notModified: EXPECTED.notModified,
        expectedContention: EXPECTED.expectedContention,
      },
      byErrorCode: { ConditionNotMet: EXPECTED.failures },
      // The hot blob's failures: the other writer replaced it first; the ownership claims: Event Hubs' routine.
      byOrigin: { 'other-writer': 60, 'expected-contention': 16 },
      compare: {
        before: { ...EXPECTED.before, rate: 0.1 },
        after: { ...EXPECTED.after, rate: 0.05 },
        ratio: 0.5,
        significant: true,
        dropped: true,
        expectedContentionCounted: false,
      },
      outOfRange: OUTSIDE,
      skipped: format.startsWith('$logs') ? MALFORMED_LINES : 0,
    });
    // One bucket an hour, oldest first; 05:00 had no request and is still there.
    expect(j.series.map((b: { start: string }) => b.start.slice(11, 16))).toEqual(
      ['00', '01', '02', '03', '04', '05', '06', '07', '08'].map((h) => `${h}:00`),
    );
    expect(j.series.map((b: { requests: number }) => b.requests)).toEqual([100, 100, 100, 100, 100, 0, 100, 100, 100]);
    expect(j.series.map((b: { failures: number }) => b.failures)).toEqual([12, 12, 12, 12, 7, 0, 7, 7, 7]);
    expect(j.blobs.slice(0, 2)).toEqual([
      { blob: HOT, ...EXPECTED.hot, topErrorCode: 'ConditionNotMet', requestsExact: true },
      {
        blob: OWNERSHIP,
        ...EXPECTED.ownership,
        topErrorCode: 'ConditionNotMet',
        expectedContention: 'event-hubs-ownership',
        requestsExact: true,
      },
    ]);
    expect(j.callers[0]).toMatchObject({ caller: '10.0.0.2', userAgent: 'orders-writer/1.0 (b)', failures: 60 });
    expect(j.compare.pValue).toBeLessThan(0.05);
    // The line to run next diagnoses the hot blob's latest failure from the same source.
    expect(j.next).toMatch(new RegExp(`^cnm diagnose --request-id \\S+ --logs ${file} --time 2026-11-24T08:`));
  });

  it('the next command line finds its request: cnm diagnose of the hot blob’s latest failure', async () => {
    const j = await json(['--logs', V2, ...RANGE]);
    const args = j.next.split(' ').slice(1);
    const r = await runCli([...args, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ response: { status: 412 }, origin: { kind: 'other-writer' } });
  });

  it('the next command line names the latest failure by time, whatever order the files are read in', async () => {
    // The afternoon's file first, the morning's second: the last failure read is the morning's.
    const lines = analyticsText('2.0')
      .trimEnd()
      .split('\n')
      .filter((l) => /^2\.0;2026-/.test(l));
    const late = join(dir, 'late.log');
    const early = join(dir, 'early.log');
    writeFileSync(late, lines.filter((l) => l.slice(4, 17) >= '2026-11-24T04').join('\n') + '\n');
    writeFileSync(early, lines.filter((l) => !(l.slice(4, 17) >= '2026-11-24T04')).join('\n') + '\n');
    const j = await json(['--logs', late, early, ...RANGE]);
    expect(j.next).toMatch(/ --time 2026-11-24T08:/);
  });

  it('a resource-log record skipped is named by its line and its field', async () => {
    const records = resourceText().trimEnd().split('\n');
    const bad = records[5]!.replace(/"operationName":"[^"]*"/, '"operationName":5');
    const file = join(dir, 'bad-field.json');
    writeFileSync(file, [...records.slice(0, 5), bad, ...records.slice(6)].join('\n') + '\n');
    const j = await json(['--logs', file, ...RANGE]);
    expect(j.skipped).toBe(1);
    expect(j.notes).toContain(`skipped ${file}:6 operationName: must be the operation name, as text`);
  });

  it('the next command line passes over expected contention, also among the blobs --top leaves out', async () => {
    // Event Hubs' ownership claims fail 16 times, the hot blob once: the claims top the list, which --top 1 cuts to.
    const lines = analyticsText('2.0').trimEnd().split('\n');
    const hotFailure = lines.find((l) => l.includes(HOT) && l.includes(';412;') && l.startsWith('2.0;2026-11-24T02'))!;
    const file = join(dir, 'claims.log');
    writeFileSync(file, [...lines.filter((l) => l.includes('ownership')), hotFailure].join('\n') + '\n');
    const j = await json(['--logs', file, ...RANGE, '--top', '1']);
    expect(j.blobs).toMatchObject([{ blob: OWNERSHIP, expectedContention: 'event-hubs-ownership' }]);
    expect(j.next).toMatch(/ --time 2026-11-24T02:/);
  });

  it('failures judged on the worker thread (as on a big log) give the same report as judged on the main thread', async () => {
    const args = ['--logs', join(dir, 'all'), ...RANGE, '--deployed-at', DEPLOY, '--json'];
    const here = await stats(args);
    const worker = await stats([...args, '--debug'], cleanEnv({ CNM_STATS_JUDGE_HERE: '0' }));
    expect(worker.code, worker.stderr).toBe(0);
    expect(worker.stderr).toContain('stats: judging failures on a worker thread');
    expect(here.stderr).toBe('');
    expect(JSON.parse(worker.stdout)).toEqual(JSON.parse(here.stdout));
  });

  it('$logs files read on the scan thread (as big ones are) give the same report as read on the main thread', async () => {
    // Over a megabyte (the chunk the CLI reads): the worker scans the part after the first batch.
    const big = join(dir, 'big-v2.log');
    writeFileSync(big, analyticsText('2.0').repeat(5));
    const args = ['--logs', join(dir, 'all'), big, ...RANGE, '--deployed-at', DEPLOY, '--json'];
    const here = await stats(args);
    // Every $logs file on the thread, handed over after its first batch (a small file is otherwise read whole before
    // the worker has started).
    const env = cleanEnv({ CNM_STATS_SCAN_THREAD_MB: '0', CNM_STATS_SCAN_HERE: '1' });
    const thread = await stats([...args, '--debug'], env);
    expect(thread.code, thread.stderr).toBe(0);
    expect(thread.stderr).toContain('stats: reading $logs files on a worker thread');
    expect(thread.stderr).toMatch(/stats: the worker thread reads on from line \d+ of .*v1\.log/);
    expect(thread.stderr).toMatch(/stats: the worker thread reads on from line \d+ of .*big-v2\.log/);
    expect(here.stderr).toBe('');
    expect(JSON.parse(thread.stdout)).toEqual(JSON.parse(here.stdout));
  });

  it('a folder: every file read by content, each request counted once per file', async () => {
    const j = await json(['--logs', join(dir, 'all'), ...RANGE]);
    expect(j.totals.requests).toBe(4 * EXPECTED.requests);
    expect(j.sources[0]).toMatch(/: 4 file\(s\)/);
  });
});

describe('cnm stats options', () => {
  it('--blob narrows to a prefix (container/prefix or /account/container/prefix)', async () => {
    for (const prefix of ['app/orders/', '/acct/app/orders/']) {
      const j = await json(['--logs', V2, ...RANGE, '--blob', prefix]);
      expect(j.totals).toMatchObject({ requests: EXPECTED.hot.requests, failures: EXPECTED.hot.failures });
      expect(j.blobs.map((b: { blob: string }) => b.blob)).toEqual([HOT]);
      // The requests before the range are the hot blob's: counted outside it under app/orders/ only.
      expect(j.outOfRange).toBe(OUTSIDE);
    }
    const items = await json(['--logs', V2, ...RANGE, '--blob', 'app/items/']);
    expect(items.outOfRange).toBe(0);
    // Nothing under the prefix: exit 4 does not send the user to widen a range that holds nothing of it either.
    const none = await stats(['--logs', V2, ...RANGE, '--blob', 'app/none/']);
    expect(none.code).toBe(4);
    expect(none.stderr).not.toMatch(/outside it/);
  });

  it('--top limits blobs and callers', async () => {
    const j = await json(['--logs', V2, ...RANGE, '--top', '1']);
    expect(j.blobs).toHaveLength(1);
    expect(j.callers).toHaveLength(1);
  });

  it('--bucket sets the series; absent, it is chosen from the range', async () => {
    expect((await json(['--logs', V2, ...RANGE, '--bucket', '3h'])).series).toHaveLength(3);
    const auto = await json(['--logs', V2, ...RANGE]);
    expect(auto.bucket).toBe('PT30M');
    expect(auto.series).toHaveLength(18);
  });

  it('--since/--until default to the last 24 hours', async () => {
    const now = Date.now();
    const recent = analyticsText('2.0')
      .split('\n')
      .filter((l) => l.includes('2026-11-24T01:'))
      .map((l) =>
        l.replace(/2026-11-24T01:(\d\d):(\d\d)/, (_m, mm, ss) =>
          new Date(now - 3_600_000 + (Number(mm) * 60 + Number(ss)) * 10).toISOString().slice(0, 19),
        ),
      )
      .join('\n');
    const file = join(dir, 'recent.log');
    writeFileSync(file, recent + '\n');
    const j = await json(['--logs', file]);
    expect(j.totals.requests).toBe(100);
    expect(Date.parse(j.range.until) - Date.parse(j.range.since)).toBe(86_400_000);
  });
});

describe('cnm stats exit codes', () => {
  it('0: ran; --fail-above under the rate without expected contention (7.5%) passes', async () => {
    expect((await stats(['--logs', V2, ...RANGE, '--fail-above', '8%'])).code).toBe(0);
  });

  it('1: --fail-above below the rate, said in the report', async () => {
    const r = await stats(['--logs', V2, ...RANGE, '--fail-above', '0.05']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ the failure rate 7\.50% is above --fail-above 5\.00%/);
    // A threshold just under the rate: as many decimals as tell them apart.
    const close = await stats(['--logs', V2, ...RANGE, '--fail-above', '7.499%']);
    expect(close.code).toBe(1);
    expect(close.stdout).toMatch(/✗ the failure rate 7\.500% is above --fail-above 7\.499%/);
  });

  it('0 with --expect-drop when the deploy halved the rate; 1 when the rate did not drop', async () => {
    expect((await stats(['--logs', V2, ...RANGE, '--deployed-at', DEPLOY, '--expect-drop'])).code).toBe(0);
    const flat = await stats([
      '--logs',
      V2,
      '--since',
      START,
      '--until',
      '2026-11-24T04:00:00Z',
      '--deployed-at',
      '2026-11-24T02:00:00Z',
      '--expect-drop',
      '--json',
    ]);
    expect(flat.code).toBe(1);
    const j = JSON.parse(flat.stdout);
    expect(j.compare).toMatchObject({ ratio: 1, significant: false, dropped: false });
    expect(j.gate.failed[0]).toMatch(/not significantly lower/);
  });

  it.each([
    [['--bucket', 'soon'], /--bucket: "soon" is not a duration/],
    [['--expect-drop'], /--expect-drop needs --deployed-at/],
    [['--deployed-at', '2026-12-01T00:00:00Z'], /--deployed-at .* is not inside the range/],
    [['--fail-above', 'lots'], /--fail-above: "lots" is not a rate/],
    [['--top', '0'], /--top: "0" is not a count/],
    [['--since', UNTIL, '--until', START], /is not before --until/],
    [['--blob', 'BAD/x'], /--blob: "BAD" is not a valid container name .* so no blob is under "BAD\/x"/],
  ])('2: %j', async (extra, message) => {
    const r = await stats(['--logs', V2, ...RANGE, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('2: a file that is not a log, a path that does not exist, no source at all', async () => {
    const junk = join(dir, 'junk.txt');
    writeFileSync(junk, 'hello\n');
    const bad = await stats(['--logs', junk, ...RANGE]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/junk\.txt.*unrecognised content/);
    expect((await stats(['--logs', join(dir, 'nope.log'), ...RANGE])).code).toBe(2);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"request": {"method": "PUT", "url": ');
    const invalid = await stats(['--logs', broken, ...RANGE]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/broken\.json/);
    const none = await stats(RANGE);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no source to read/);
  });

  it('4: no request in the sources and range', async () => {
    const r = await stats(['--logs', V2, '--since', '2026-01-01T00:00:00Z', '--until', '2026-01-02T00:00:00Z']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /^cnm: no request in the sources .* from 2026-01-01T00:00:00.000Z to 2026-01-02T00:00:00.000Z; 802 request\(s\) outside it/,
    );
  });
});

describe('cnm stats output', () => {
  it('table without colour: a chart row per bucket in plain characters, empty buckets shown, the test named', async () => {
    const r = await stats(['--logs', V2, ...RANGE, '--bucket', '1h', '--deployed-at', DEPLOY, '--format', 'table']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^ {2}\d\d:00 /.test(l));
    expect(rows).toHaveLength(9);
    // 00:00 (12%) draws the longest bar, 50 cells (no COLUMNS: 120 wide): 10 of its 12 failures are actionable
    // (#), 2 expected contention (-); 04:00 (7%) is shorter.
    const bar = (l: string) => /#+/.exec(l)?.[0].length ?? 0;
    expect(bar(rows[0]!)).toBe(Math.round((50 * 10) / 12));
    expect(/#+(-+)/.exec(rows[0]!)![1]).toHaveLength(50 - Math.round((50 * 10) / 12));
    expect(bar(rows[4]!)).toBeLessThan(bar(rows[0]!));
    expect(rows[0]).toMatch(/#+-+ +12\.00% +12 of 100$/);
    expect(rows[5]).toMatch(/05:00 +\. no requests/);
    expect(r.stdout).not.toMatch(/[█░▏▎▍▌▋▊▉]/);
    expect(r.stdout).toMatch(/exact conditional binomial test of two Poisson rates/);
    expect(r.stdout).toMatch(/expected contention not counted/);
    expect(r.stdout).toMatch(/event-hubs-ownership/);
    expect(r.stdout).toMatch(/^\$ cnm diagnose --request-id /m);
  });

  it('table in colour (FORCE_COLOR): block characters, failures and expected contention apart', async () => {
    const r = await stats(['--logs', V2, ...RANGE, '--bucket', '1h'], cleanEnv({ FORCE_COLOR: '1', NO_COLOR: '' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\u001b\[31m█+[▏▎▍▌▋▊▉]?\u001b\[39m\u001b\[33m░+\u001b\[39m +12\.00%/);
    expect(r.stdout).toMatch(/· no requests/);
  });

  it('markdown: the series, the hot blobs and the callers as tables', async () => {
    const r = await stats(['--logs', V2, ...RANGE, '--bucket', '1h', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^### cnm stats /);
    expect(r.stdout).toMatch(/\| 2026-11-24T05:00:00\.000Z \| 0 \| 0 \| — \|/);
    expect(r.stdout).toMatch(
      /#### Hot blobs[\s\S]*\| \/acct\/app\/orders\/hot\.json \| 320 \| 60 \| 2 \| ConditionNotMet \|/,
    );
    // What was read past, as the table says it (the HTML page lists it among its notes).
    const past = `${MALFORMED_LINES} line(s) skipped unread; ${OUTSIDE} request(s) outside the range`;
    expect(r.stdout).toContain(`- ${past}\n`);
    const page = await stats(['--logs', V2, ...RANGE, '--format', 'html']);
    expect(page.stdout).toContain(`<li>${past}</li>`);
  });
});
