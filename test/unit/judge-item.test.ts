/**
 * What crosses to the judging thread (src/logs/judge-item.ts): a request the receiving side holds is sent as its
 * order alone, so both sides must always hold the same requests, whatever the orders (repeats, and orders that
 * share a slot).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Observed } from '../../src/core/diagnose/types.js';
import { RebuiltCache, SentCache, type JudgeItem } from '../../src/logs/judge-item.js';

function request(order: number): { observed: Observed } {
  return {
    observed: {
      order,
      time: '2026-11-24T00:00:00.000Z',
      operation: 'PutBlob',
      status: 201,
      source: { kind: 'capture' },
    },
  };
}

/** Orders near each other (a blob's history), far apart, and a multiple of the slots apart. */
const order = fc.oneof(
  fc.nat(64),
  fc.nat(1_000_000),
  fc.nat(8).map((k) => 7 + k * 1024),
  fc.nat(8).map((k) => k * 4096),
);

describe('requests sent to the judging thread', () => {
  it('the receiving side rebuilds every request, and one it holds crosses as its order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ failed: order, history: fc.array(order, { maxLength: 8 }) }), { maxLength: 300 }),
        (items) => {
          const sent = new SentCache();
          const rebuilt = new RebuiltCache();
          let whole = 0;
          for (const { failed, history } of items) {
            const item: JudgeItem = { failed: request(failed), history: history.map(request), expected: false };
            const wire = sent.encode(item);
            for (const s of [wire.failed, ...wire.history]) if (typeof s !== 'number') whole++;
            expect(rebuilt.get(wire.failed).order).toBe(failed);
            expect(wire.history.map((s) => rebuilt.get(s).order)).toEqual(history);
          }
          // A request sent twice in a row crosses whole once.
          const distinct = new Set(items.flatMap((i) => [i.failed, ...i.history])).size;
          expect(whole).toBeGreaterThanOrEqual(distinct);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a request sent again soon after crosses as its order alone', () => {
    const sent = new SentCache();
    const first = sent.encode({ failed: request(10), history: [request(3), request(5)], expected: false });
    const again = sent.encode({ failed: request(12), history: [request(5), request(10)], expected: false });
    expect(first.history.map((s) => typeof s)).toEqual(['object', 'object']);
    expect(again.history).toEqual([5, 10]);
  });
});
