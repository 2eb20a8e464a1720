import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexedScan } from '../../src/io/indexed-scan.js';
import { scanForNeedles } from '../helpers/reference-scanner.js';
import { buildDiagnoseKql, kqlString } from '../../src/logs/kql.js';
import { hourOfPath } from '../../src/logs/path-hour.js';
import { rangesNear, subtractCovered } from '../../src/logs/scan-log-file.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-diag-'));
let n = 0;

describe('indexedScan', () => {
  it('finds exactly the lines scanForNeedles finds, with the same numbers, whatever the chunk size', async () => {
    const line = fc.array(fc.constantFrom('a', 'b', 'x', 'y', ';', ' '), { maxLength: 30 }).map((cs) => cs.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        async (ls, crlf, chunkSize) => {
          const file = join(dir, `f${n++}`);
          writeFileSync(file, ls.join(crlf ? '\r\n' : '\n'));
          const a = await indexedScan(file, ['xy', 'ba'], { chunkSize });
          const b = await scanForNeedles(file, ['xy', 'ba'], { chunkSize });
          expect(a.lines).toEqual(b);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('agrees with scanForNeedles on needles ending in a run of one byte, as request ids do', async () => {
    const piece = fc.constantFrom('470b-cdd2-', '0', '000', '470b-cdd2-00000', '470b-cdd2-0000000', ';', '\n');
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 40 }).map((a) => a.join('')),
        fc.integer({ min: 1, max: 48 }),
        async (text, chunkSize) => {
          const file = join(dir, `r${n++}`);
          writeFileSync(file, text);
          const needles = ['470b-cdd2-000000', '00000000'];
          expect((await indexedScan(file, needles, { chunkSize })).lines).toEqual(
            await scanForNeedles(file, needles, { chunkSize }),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a second pass from a mark over a range sees the same lines as a full scan restricted to it', async () => {
    const file = join(dir, 'times.log');
    const rows = Array.from(
      { length: 400 },
      (_, i) =>
        `2.0;${new Date(Date.UTC(2026, 10, 24, 17) + i * 30_000).toISOString()};PutBlob;${i % 7 === 0 ? '/c/hot' : '/c/cold'}`,
    );
    writeFileSync(file, rows.join('\n') + '\n');
    const full = await indexedScan(file, ['/c/hot'], { chunkSize: 512 });
    expect(full.marks.length).toBeGreaterThan(10);
    const t = Date.UTC(2026, 10, 24, 18);
    const ranges = rangesNear(full.marks, t, 60_000);
    expect(ranges.length).toBeGreaterThan(0);
    const seen = (
      await Promise.all(ranges.map((r) => indexedScan(file, ['/c/hot'], { ...r, chunkSize: 512 })))
    ).flatMap((s) => s.lines);
    const near = full.lines.filter((l) => Math.abs(Date.parse(l.line.split(';')[1]!) - t) <= 60_000);
    for (const l of near) expect(seen).toContainEqual(l);
    expect(seen.length).toBeLessThan(full.lines.length);
  });
});

describe('one pass that follows the blob from the hit', () => {
  it('plus the near ranges it did not cover, sees every line of the blob in the window, none twice, reading less', async () => {
    const file = join(dir, 'follow.log');
    const start = Date.UTC(2026, 10, 24, 16, 20);
    const rows = Array.from(
      { length: 400 },
      (_, i) =>
        `2.0;${new Date(start + i * 30_000).toISOString()};PutBlob;${i === 200 ? 'THE-ID;/c/hot' : i % 7 === 0 ? 'x;/c/hot' : 'x;/c/cold'}`,
    );
    writeFileSync(file, rows.join('\n') + '\n');
    const t = start + 200 * 30_000;
    const w = 5 * 60_000;
    for (const chunkSize of [200, 512, 4096, 1 << 20]) {
      const first = await indexedScan(file, ['THE-ID'], {
        chunkSize,
        onLine: (l, live) => l.line.includes('THE-ID') && live.follow('hot', ['/c/hot'], t + w + 5 * 60_000),
      });
      const ranges = subtractCovered(rangesNear(first.marks, t, w), first.covered);
      const rest = await Promise.all(ranges.map((r) => indexedScan(file, ['/c/hot'], { ...r, chunkSize })));
      const seen = [...first.lines.filter((l) => !l.line.includes('THE-ID')), ...rest.flatMap((s) => s.lines)];
      const full = await indexedScan(file, ['/c/hot'], { chunkSize });
      for (const l of full.lines.filter((x) => Math.abs(Date.parse(x.line.split(';')[1]!) - t) <= w))
        expect(seen).toContainEqual(l);
      expect(new Set(seen.map((l) => l.lineNo)).size).toBe(seen.length);
      if (chunkSize < 1000) expect(first.covered[0]!.to).toBeDefined();
      expect(rest.reduce((a, s) => a + s.bytes, 0)).toBeLessThan(full.bytes);
    }
  });

  it('subtractCovered keeps what lies outside the covered bytes', () => {
    const m = (offset: number) => ({ offset, lineNo: offset });
    expect(
      subtractCovered([{ from: m(0), to: 100 }, { from: m(200) }], [{ key: 'k', from: m(50), to: m(250) }]),
    ).toEqual([{ from: m(0), to: 50 }, { from: m(250) }]);
    expect(subtractCovered([{ from: m(0) }], [{ key: 'k', from: m(10) }])).toEqual([{ from: m(0), to: 10 }]);
    expect(subtractCovered([{ from: m(0), to: 10 }], [{ key: 'k', from: m(10), to: m(20) }])).toEqual([
      { from: m(0), to: 10 },
    ]);
  });
});

describe('log layouts name their hour', () => {
  it.each([
    ['$logs/blob/2026/11/24/1800/000001.log', '2026-11-24T18:00:00.000Z'],
    [
      'insights-logs-storagewrite/resourceId=/SUBSCRIPTIONS/X/y=2026/m=11/d=24/h=07/m=00/PT1H.json',
      '2026-11-24T07:00:00.000Z',
    ],
  ])('%s → %s', (p, iso) => expect(new Date(hourOfPath(p)!).toISOString()).toBe(iso));
  it('other paths have no hour', () => expect(hourOfPath('logs/app.log')).toBeUndefined());
});

describe('KQL for --workspace', () => {
  it('is pushed down: filters by id and time in the service, then by ObjectKey in the window', () => {
    const q = buildDiagnoseKql({
      id: 'abc',
      from: '2026-11-24T17:00:00.000Z',
      to: '2026-11-24T19:00:00.000Z',
      windowMs: 300_000,
    });
    expect(q).toMatch(/CorrelationId == "abc" or ClientRequestId == "abc"/);
    expect(q).toMatch(/between \(datetime\(2026-11-24T17:00:00.000Z\) \.\. datetime\(2026-11-24T19:00:00.000Z\)\)/);
    expect(q).toMatch(/t0 - 300s/);
    expect(q).toMatch(/ObjectKey in \(keys\)/);
  });
  it('quotes user input', () => expect(kqlString('a"b\\c')).toBe('"a\\"b\\\\c"'));
});
