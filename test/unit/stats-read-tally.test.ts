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
import { AnalyticsScanner } from '../../src/parse/analytics-scanner.js';
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

/**
 * Seven blob names whose keys (`acct/c/<name>`, FNV-1a) fall in one group of the table of blobs seen: four fill it,
 * and the rest are the blobs it cannot hold (found by trying names, checked below).
 */
const CROWDED = ['g114369', 'g188346', 'g234155', 'g376767', 'g498890', 'g508500', 'g616102'];
const BLOBS = [...CROWDED, 'blob-1.json', 'blob-2.json', 'blob-3.json', 'blob-4.json'];

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text)) h = Math.imul(h ^ b, 0x01000193);
  return h;
}

const event = fc.record({
  time: timeText,
  blob: fc.integer({ min: 0, max: BLOBS.length - 1 }),
  kind: fc.constantFrom(
    'read',
    'read',
    'read',
    'write',
    'conditional',
    'failure',
    'not-modified',
    'truncated',
    'blank',
  ),
});

function line(e: { time: string; blob: number; kind: string }, n: number): string {
  if (e.kind === 'blank') return '';
  const [op, status, text, cond] = {
    read: ['GetBlob', 200, 'Success', ''],
    write: ['PutBlob', 201, 'Success', ''],
    conditional: ['GetBlob', 200, 'Success', '"If-Match=Tuesday, 24-Nov-26 18:00:00 GMT"'],
    failure: ['PutBlob', 412, 'ConditionNotMet', '"If-Match=Tuesday, 24-Nov-26 18:00:00 GMT"'],
    'not-modified': ['GetBlob', 304, 'ConditionNotMet', '"If-None-Match=Tuesday, 24-Nov-26 18:00:00 GMT"'],
    truncated: ['PutBlob', 201, 'Success', ''],
  }[e.kind]!;
  const key = `/acct/c/${BLOBS[e.blob]}`;
  const full =
    `2.0;${e.time};${op};${text};${status};5;5;authenticated;acct;acct;blob;` +
    `"https://acct.blob.core.windows.net${key.slice(5)}";"${key}";id-${n};0;10.0.0.${e.blob}:5000;2025-01-05;` +
    `612;2;302;229;2;;;"&quot;0x8DD${n}&quot;";Tuesday, 24-Nov-26 18:00:00 GMT;${cond};"ua";;"c-${n}";;;;;;;;`;
  return e.kind === 'truncated' ? full.slice(0, 60) : full;
}

const TOO_LONG = 'too long';

/** The lines as the line stream gives them: windows of a few lines each, their spans. */
function batches(lines: string[], per: number): AsyncIterable<RawLineBatch> {
  const out: RawLineBatch[] = [];
  for (let i = 0; i < lines.length; i += per) {
    const part = lines.slice(i, i + per);
    const window = Buffer.from(part.join('\n'));
    const spans: number[] = [];
    let at = 0;
    for (const l of part) {
      // A line past the line limit, as the line stream marks it.
      if (l === TOO_LONG) spans.push(-1, -1);
      else spans.push(at, at + Buffer.byteLength(l));
      at += Buffer.byteLength(l) + 1;
    }
    out.push({ window, spans, firstLineNo: i + 1 });
  }
  return Readable.from(out);
}

/** The lines read as two files (the second from `split` on), through one aggregator. */
async function counted(lines: string[], split: number, per: number, deployedAt: number | undefined, scanned: boolean) {
  const grid = new BucketGrid(SINCE, UNTIL, BUCKET);
  const scanner = scanned ? new AnalyticsScanner() : undefined;
  const agg = new StatsAggregator(grid, { deployedAt }, 4, undefined, scanner?.seen);
  const orders = { next: 0 };
  // What came from the scanner, apart (the counts above include it).
  let inScanner = 0;
  const addReads = agg.addReads.bind(agg);
  agg.addReads = (r) => {
    inScanner += r.requests + r.outOfRange;
    addReads(r);
  };
  const reader = new StatsReader(agg, SILENT_PROGRESS, orders, scanner);
  const entry = lineEntryOf('analytics-log', 'entries')!;
  await reader.lines('a.log', entry, batches(lines.slice(0, split), per), fromLogEntry);
  await reader.lines('b.log', entry, batches(lines.slice(split), per), fromLogEntry);
  const picture = {
    totals: [agg.requests, agg.conditional, agg.failures, agg.notModified, agg.outOfRange],
    series: agg.series.flatMap((b, i) => (b.requests || b.failures ? [[i, b.requests, b.failures]] : [])),
    sides: [agg.before, agg.after],
    busy: agg.busy.top(100).map((b) => [b.key, b.count]),
    failing: [...agg.failing].map(([k, f]) => [k, f.requests, f.failures, [...f.writers]]),
    byOrigin: [...agg.byOrigin],
    skipped: reader.read.skipped,
    orders: orders.next,
  };
  return { picture, inScanner };
}

describe('plain reads counted in the scanner', () => {
  it('count exactly as the aggregator counts them one line at a time', async () => {
    let fromScanner = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ arbitrary: event, weight: 30 }, { arbitrary: fc.constant(null), weight: 1 }), {
          minLength: 1,
          maxLength: 80,
        }),
        fc.nat(80),
        fc.integer({ min: 1, max: 30 }),
        fc.option(fc.constantFrom(Date.UTC(2026, 10, 24), Date.UTC(2010, 5, 1))),
        async (events, split, per, deployedAt) => {
          const lines = events.map((e, n) => (e ? line(e, n) : TOO_LONG));
          const inScanner = await counted(lines, split, per, deployedAt ?? undefined, true);
          const oneByOne = await counted(lines, split, per, deployedAt ?? undefined, false);
          expect(inScanner.picture).toEqual(oneByOne.picture);
          expect(oneByOne.inScanner).toBe(0);
          fromScanner += inScanner.inScanner;
        },
      ),
      { numRuns: 200 },
    );
    // The scanner did count (a scanner that counted nothing would agree too).
    expect(fromScanner).toBeGreaterThan(200);
  });

  it('the crowded names share one group of the table', () => {
    const groups = new Set(CROWDED.map((n) => fnv1a(`acct/c/${n}`) & 0xfffff));
    const fingerprints = new Set(CROWDED.map((n) => fnv1a(`acct/c/${n}`) >>> 20));
    expect([groups.size, fingerprints.size]).toEqual([1, CROWDED.length]);
  });

  it('counts the reads it can, and leaves the rest to the aggregator', async () => {
    const at = new Date(Date.UTC(2026, 10, 24, 18)).toISOString().replace('Z', '0000Z');
    const lines = [
      line({ time: at, blob: 7, kind: 'read' }, 1),
      line({ time: at, blob: 8, kind: 'read' }, 2),
      // Seen before: its record decides.
      line({ time: at, blob: 7, kind: 'read' }, 3),
      line({ time: '2026-13-24T18:00:00.0000000Z', blob: 9, kind: 'read' }, 4),
      line({ time: '1999-12-31T23:59:59.9990000Z', blob: 10, kind: 'read' }, 5),
    ];
    const scanner = new AnalyticsScanner();
    const agg = new StatsAggregator(new BucketGrid(SINCE, UNTIL, BUCKET), {}, 4, undefined, scanner.seen);
    const fromScanner: Array<[number, number]> = [];
    const addReads = agg.addReads.bind(agg);
    agg.addReads = (r) => {
      fromScanner.push([r.requests, r.outOfRange]);
      addReads(r);
    };
    const reader = new StatsReader(agg, SILENT_PROGRESS, { next: 0 }, scanner);
    await reader.lines('f.log', lineEntryOf('analytics-log', 'entries')!, batches(lines, 10), fromLogEntry);
    expect([agg.requests, agg.outOfRange, reader.read.skipped]).toEqual([3, 1, 1]);
    // The first reads of blob-1 and blob-2, and the one out of range, were counted in the scanner.
    expect(fromScanner).toEqual([[2, 1]]);
    expect(agg.busy.get('/acct/c/blob-1.json')?.count).toBe(2);
    // Counted, its counts taken: the scanner starts again from zero.
    expect(scanner.takeCounts(1).requests).toBe(0);
  });
});

describe('plain reads counted in the scanner, many at a time', () => {
  it('a window of more lines than one scan holds: every slice counted as one line at a time', async () => {
    // 40,000 lines in one window: three slices of the scanner (16,384 lines each at most).
    const events = Array.from({ length: 40_000 }, (_, n) => ({
      time: new Date(Date.UTC(2026, 10, 24) + n * 1000).toISOString().replace('Z', '0000Z'),
      blob: n % 1000 === 0 ? 7 : n % BLOBS.length,
      kind: n % 97 === 0 ? 'write' : n % 89 === 0 ? 'failure' : 'read',
    }));
    // 5,000 names a blob: most read once, some again.
    const lines = events.map((e, n) => line(e, n).replaceAll(`/c/${BLOBS[e.blob]}`, `/c/${BLOBS[e.blob]}-${n % 5000}`));
    const { picture, inScanner } = await counted(lines, 25_000, 40_000, undefined, true);
    expect(picture).toEqual((await counted(lines, 25_000, 40_000, undefined, false)).picture);
    expect(picture.totals[0]).toBe(40_000);
    expect(inScanner).toBeGreaterThan(30_000);
  });
});
