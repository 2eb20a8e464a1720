/**
 * The table of blobs seen (core/stats/seen-blobs.ts) against a plain model of what it promises: a key is told
 * apart by its group and fingerprint, a group holds four keys and never forgets one, and a key whose group is full
 * is UNKNOWN, so that the aggregator counts it by its record every time — never passed over, never taken for
 * another blob. And the aggregator's side of it: such a blob's requests are each counted once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatsAggregator } from '../../src/core/stats/aggregate.js';
import { BucketGrid } from '../../src/core/stats/buckets.js';
import type { StatsRecord } from '../../src/core/stats/record.js';
import { COUNTED, PASSED, SeenBlobs, seenAfter, UNKNOWN, UNSEEN } from '../../src/core/stats/seen-blobs.js';

const GROUP = (1 << 20) - 1;
const group = (h: number) => h & GROUP;
const fingerprint = (h: number) => (h >>> 20) & 0xfff;

/** The model: per group, the fingerprints it holds in the order they came, with their state. */
class Model {
  private readonly groups = new Map<number, Array<{ fp: number; state: number }>>();
  get(h: number): number {
    const slots = this.groups.get(group(h)) ?? [];
    const own = slots.find((s) => s.fp === fingerprint(h));
    return own ? own.state : slots.length < 4 ? UNSEEN : UNKNOWN;
  }
  set(h: number, state: number): void {
    const slots = this.groups.get(group(h)) ?? [];
    this.groups.set(group(h), slots);
    const own = slots.find((s) => s.fp === fingerprint(h));
    if (own) own.state = state;
    else if (slots.length < 4) slots.push({ fp: fingerprint(h), state });
  }
}

/** Hashes crowded into a few groups, so that groups fill and fingerprints meet. */
const hash = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xfff }), fc.constantFrom(0, 1))
  .map(([g, fp, low]) => (fp << 20) | (g * 977 + low) | 0);

describe('the table of blobs seen', () => {
  it('answers as the model, for any run of lookups and marks', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(hash, fc.constantFrom(PASSED, COUNTED, 0)), { maxLength: 200 }), (ops) => {
        const table = new SeenBlobs();
        const model = new Model();
        for (const [h, state] of ops) {
          expect(table.get(h)).toBe(model.get(h));
          if (state === PASSED || state === COUNTED) {
            table.set(h, state);
            model.set(h, state);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a key whose group is full stays unknown however often it comes, and the keys there keep their state', () => {
    const table = new SeenBlobs();
    const inGroup = (fp: number) => (fp << 20) | 42;
    for (let fp = 1; fp <= 4; fp++) table.set(inGroup(fp), fp % 2 ? PASSED : COUNTED);
    for (let i = 0; i < 3; i++) {
      expect(table.get(inGroup(5))).toBe(UNKNOWN);
      table.set(inGroup(5), COUNTED);
    }
    expect([1, 2, 3, 4].map((fp) => table.get(inGroup(fp)))).toEqual([PASSED, COUNTED, PASSED, COUNTED]);
    // Another group is untouched.
    expect(table.get((5 << 20) | 43)).toBe(UNSEEN);
  });
});

/** A $logs-like record of blob `key` with the hash `h`, as the fast path gives one. */
function read(key: string, h: number, t: number, write = false): StatsRecord {
  return {
    time: t,
    outcome: 'other',
    errorKey: '',
    blobKey: key,
    keyHash: h,
    conditional: false,
    write,
    writer: () => 'w',
    keep: () => undefined,
    observe: () => {
      throw new Error('not asked of a success');
    },
    portable: () => {
      throw new Error('not asked of a success');
    },
  };
}

describe('the aggregator over a full group', () => {
  it('counts each request of a blob the table cannot hold once, in its bucket and per blob', () => {
    const t0 = Date.UTC(2026, 10, 24);
    const grid = new BucketGrid(t0, t0 + 3_600_000, 3_600_000);
    const agg = new StatsAggregator(grid, {}, 64);
    const inGroup = (fp: number) => (fp << 20) | 7;
    // Four blobs fill the group (each read twice: counted per blob from its second read).
    for (let fp = 1; fp <= 4; fp++)
      for (let i = 0; i < 2; i++) {
        const r = read(`/a/c/b${fp}`, inGroup(fp), t0 + i);
        if (!agg.countRead(r.time, inGroup(fp), false)) agg.count(r);
      }
    // A fifth: its group is full, so no read of it is passed over and none counts twice.
    for (let i = 0; i < 3; i++) {
      expect(agg.countRead(t0 + 10 + i, inGroup(5), false)).toBe(false);
      agg.count(read('/a/c/b5', inGroup(5), t0 + 10 + i));
    }
    expect(agg.requests).toBe(11);
    expect(agg.series[0]!.requests).toBe(11);
    expect(agg.busy.get('/a/c/b5')?.count).toBe(3);
    expect(agg.busy.get('/a/c/b1')?.count).toBe(2);
  });
});

describe('the table kept ahead by another thread (the scan thread)', () => {
  /**
   * A request: its blob (crowded hashes, so that groups fill), whether it is a plain read or a write, and whether it
   * is in the range.
   */
  const request = fc.record({ h: hash, write: fc.boolean(), inRange: fc.boolean() });

  it('an aggregator told each blob’s state before it counts as one that keeps its own table', () => {
    fc.assert(
      fc.property(fc.array(request, { maxLength: 120 }), (requests) => {
        const t0 = Date.UTC(2026, 10, 24);
        const grid = new BucketGrid(t0, t0 + 3_600_000, 3_600_000);
        const own = new StatsAggregator(grid, {}, 8);
        const told = new SeenBlobs();
        const replayed = new StatsAggregator(grid, {}, 8, undefined, told);
        // The other thread's table: every request applied by seenAfter, in order, ahead of the counting.
        const ahead = new SeenBlobs();
        const before = requests.map(({ h, write, inRange }) => {
          const state = ahead.get(h);
          if (inRange) ahead.set(h, seenAfter(state, !write));
          return state;
        });
        requests.forEach(({ h, write, inRange }, i) => {
          const t = inRange ? t0 + i : t0 - 1;
          const r = read(`/a/c/${h}`, h, t, write);
          if (write || !own.countRead(t, h, false)) own.count(r);
          told.tell(before[i]!);
          if (write || !replayed.countRead(t, h, false)) replayed.count(r);
        });
        told.tell(-1);
        for (const a of [own, replayed]) expect(a.requests + a.outOfRange).toBe(requests.length);
        expect([replayed.requests, replayed.outOfRange, replayed.busy.top(100)]).toEqual([
          own.requests,
          own.outOfRange,
          own.busy.top(100),
        ]);
        // Told, it changes nothing in the table it was given: the other thread has.
        expect(requests.every(({ h }) => told.get(h) === UNSEEN || told.get(h) === UNKNOWN)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('seenAfter: a first plain read passes a blob over, any other request counts it, a full group stays unknown', () => {
    expect([UNSEEN, PASSED, COUNTED, UNKNOWN].map((s) => seenAfter(s as 0 | 1 | 2 | 3, true))).toEqual([
      PASSED,
      COUNTED,
      COUNTED,
      UNKNOWN,
    ]);
    expect([UNSEEN, PASSED, COUNTED, UNKNOWN].map((s) => seenAfter(s as 0 | 1 | 2 | 3, false))).toEqual([
      COUNTED,
      COUNTED,
      COUNTED,
      UNKNOWN,
    ]);
  });
});
