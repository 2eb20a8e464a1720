/**
 * Plain `$logs` reads are counted inside the WebAssembly scanner (analytics-scan.as.ts `tally`), into the table of
 * blobs seen the aggregator also counts by: the counts must be the ones the aggregator makes one line at a time
 * (countRead, then a record where it declines). The same lines are read both ways — by a reader given the run's
 * scanner, and by one without it — and every count the report is built from must agree: totals, buckets, the two
 * sides of a deploy, out of range, the busy and the failing blobs, skipped lines and the requests' numbering.
 * Times range over years (the scanner turns a date into a day itself) and now and then are not a date at all.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLogEntry } from '../../src/core/diagnose/observed.js';
import { StatsAggregator } from '../../src/core/stats/aggregate.js';
import { BucketGrid } from '../../src/core/stats/buckets.js';
import { SILENT_PROGRESS } from '../../src/core/progress.js';
import type { RawLineBatch } from '../../src/io/line-stream.js';
import { StatsReader } from '../../src/logs/stats-files.js';
import { AnalyticsScanner } from '../../src/parse/analytics-fast.js';
import { lineEntryOf } from '../../src/parse/formats.js';

const SINCE = Date.UTC(2000, 0, 1);
const UNTIL = Date.UTC(2027, 0, 1);
/** Buckets of 30 days: a few hundred over the range (the grid names each bucket, per run). */
const BUCKET = 30 * 86_400_000;
/** A bucket's start (the grid's buckets start on multiples of their size). */
const BOUNDARY = (Math.floor(SINCE / BUCKET) + 7) * BUCKET;
const two = (n: number) => String(n).padStart(2, '0');

const time = fc.oneof(
  { arbitrary: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }), weight: 6 },
  // At the range's ends, a bucket's and a deploy's.
  {
    arbitrary: fc.constantFrom(
      SINCE - 1,
      SINCE,
      UNTIL - 1,
      UNTIL,
      Date.UTC(2026, 10, 24) - 1,
      Date.UTC(2026, 10, 24),
      BOUNDARY - 1,
      BOUNDARY,
    ),
    weight: 1,
  },
);
/** A time as $logs writes it; now and then a day Date.parse reads past its month's end, or no date at all. */
const timeText = fc
  .tuple(
    time,
    fc.oneof(
      { arbitrary: fc.constant(null), weight: 8 },
      { arbitrary: fc.tuple(fc.constantFrom(0, 2, 4, 12, 13, 19), fc.constantFrom(0, 29, 30, 31, 32)), weight: 1 },
    ),
  )
  .map(([ms, odd]) => {
    const iso = new Date(ms).toISOString().replace('Z', '0000Z');
    return odd ? `${iso.slice(0, 5)}${two(odd[0])}-${two(odd[1])}${iso.slice(10)}` : iso;
  });

const event = fc.record({
  time: timeText,
  blob: fc.integer({ min: 0, max: 12 }),
  kind: fc.constantFrom('read', 'read', 'read', 'write', 'conditional', 'failure', 'not-modified', 'truncated'),
});

function line(e: { time: string; blob: number; kind: string }, n: number): string {
  const [op, status, text, cond] = {
    read: ['GetBlob', 200, 'Success', ''],
    write: ['PutBlob', 201, 'Success', ''],
    conditional: ['GetBlob', 200, 'Success', '"If-Match=Tuesday, 24-Nov-26 18:00:00 GMT"'],
    failure: ['PutBlob', 412, 'ConditionNotMet', '"If-Match=Tuesday, 24-Nov-26 18:00:00 GMT"'],
    'not-modified': ['GetBlob', 304, 'ConditionNotMet', '"If-None-Match=Tuesday, 24-Nov-26 18:00:00 GMT"'],
    truncated: ['PutBlob', 201, 'Success', ''],
  }[e.kind]!;
  const key = `/acct/c/blob-${e.blob}.json`;
  const full =
    `2.0;${e.time};${op};${text};${status};5;5;authenticated;acct;acct;blob;` +
    `"https://acct.blob.core.windows.net${key.slice(5)}";"${key}";id-${n};0;10.0.0.${e.blob}:5000;2025-01-05;` +
    `612;2;302;229;2;;;"&quot;0x8DD${n}&quot;";Tuesday, 24-Nov-26 18:00:00 GMT;${cond};"ua";;"c-${n}";;;;;;;;`;
  return e.kind === 'truncated' ? full.slice(0, 60) : full;
}

/** The lines as the line stream gives them: windows of a few lines each, their spans. */
function batches(lines: string[], per: number): AsyncIterable<RawLineBatch> {
  const out: RawLineBatch[] = [];
  for (let i = 0; i < lines.length; i += per) {
    const part = lines.slice(i, i + per);
    const window = Buffer.from(part.join('\n'));
    const spans: number[] = [];
    let at = 0;
    for (const l of part) {
      spans.push(at, at + Buffer.byteLength(l));
      at += Buffer.byteLength(l) + 1;
    }
    out.push({ window, spans, firstLineNo: i + 1 });
  }
  return Readable.from(out);
}

async function counted(lines: string[], per: number, deployedAt: number | undefined, scanned: boolean) {
  const grid = new BucketGrid(SINCE, UNTIL, BUCKET);
  const scanner = scanned ? new AnalyticsScanner() : undefined;
  const agg = new StatsAggregator(grid, { deployedAt }, 4, undefined, scanner?.seen);
  const orders = { next: 0 };
  const reader = new StatsReader(agg, SILENT_PROGRESS, orders, scanner);
  await reader.lines('f.log', lineEntryOf('analytics-log', 'entries')!, batches(lines, per), fromLogEntry);
  return {
    totals: [agg.requests, agg.conditional, agg.failures, agg.notModified, agg.outOfRange],
    series: agg.series.flatMap((b, i) => (b.requests || b.failures ? [[i, b.requests, b.failures]] : [])),
    sides: [agg.before, agg.after],
    busy: agg.busy.top(100).map((b) => [b.key, b.count]),
    failing: [...agg.failing].map(([k, f]) => [k, f.requests, f.failures, [...f.writers]]),
    byOrigin: [...agg.byOrigin],
    skipped: reader.read.skipped,
    orders: orders.next,
  };
}

describe('plain reads counted in the scanner', () => {
  it('count exactly as the aggregator counts them one line at a time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 30 }),
        fc.option(fc.constantFrom(Date.UTC(2026, 10, 24), Date.UTC(2010, 5, 1))),
        async (events, per, deployedAt) => {
          const lines = events.map(line);
          const inScanner = await counted(lines, per, deployedAt ?? undefined, true);
          const oneByOne = await counted(lines, per, deployedAt ?? undefined, false);
          expect(inScanner).toEqual(oneByOne);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts the reads it can, and leaves the rest to the aggregator', async () => {
    const at = new Date(Date.UTC(2026, 10, 24, 18)).toISOString().replace('Z', '0000Z');
    const lines = [
      line({ time: at, blob: 1, kind: 'read' }, 1),
      line({ time: at, blob: 2, kind: 'read' }, 2),
      // Seen before: its record decides.
      line({ time: at, blob: 1, kind: 'read' }, 3),
      line({ time: '2026-13-24T18:00:00.0000000Z', blob: 3, kind: 'read' }, 4),
      line({ time: '1999-12-31T23:59:59.9990000Z', blob: 4, kind: 'read' }, 5),
    ];
    const scanner = new AnalyticsScanner();
    const agg = new StatsAggregator(new BucketGrid(SINCE, UNTIL, BUCKET), {}, 4, undefined, scanner.seen);
    const reader = new StatsReader(agg, SILENT_PROGRESS, { next: 0 }, scanner);
    await reader.lines('f.log', lineEntryOf('analytics-log', 'entries')!, batches(lines, 10), fromLogEntry);
    expect([agg.requests, agg.outOfRange, reader.read.skipped]).toEqual([3, 1, 1]);
    expect(agg.busy.get('/acct/c/blob-1.json')?.count).toBe(2);
    // Counted, its counts taken: the scanner starts again from zero.
    expect(scanner.takeCounts(1).requests).toBe(0);
  });
});
