import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withinBounds } from '../../src/core/diagnose/within-bounds.js';
import type { Observed } from '../../src/core/diagnose/types.js';

const at = (iso: string | undefined, requestId: string, order = 0): Observed => ({
  time: iso,
  order,
  requestId,
  operation: 'PutBlob',
  status: 201,
  source: { kind: 'capture' },
});
const isTarget = (o: Observed) => o.requestId === 'target';

describe('--since/--until bound local records too', () => {
  it('the failed request outside the bounds is dropped, so the search reports not found', () => {
    const out = withinBounds([at('2026-11-24T18:00:00Z', 'target')], { to: '2026-01-01T00:00:00Z' }, 300_000, isTarget);
    expect(out).toEqual([]);
  });

  it('other requests may sit up to one window beyond the bounds; records without a time stay', () => {
    const list = [
      at('2026-11-24T18:00:00Z', 'target'),
      at('2026-11-24T17:58:00Z', 'w1'),
      at('2026-11-24T17:50:00Z', 'w2'),
      at(undefined, 'sdk'),
    ];
    const out = withinBounds(list, { from: '2026-11-24T18:00:00Z' }, 300_000, isTarget).map((o) => o.requestId);
    expect(out).toEqual(['target', 'w1', 'sdk']);
  });

  it('property: without bounds nothing is dropped; with bounds every kept target is inside them', () => {
    const time = fc
      .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') })
      .map((t) => new Date(t).toISOString());
    fc.assert(
      fc.property(fc.array(fc.tuple(time, fc.boolean())), time, time, (rows, a, b) => {
        const list = rows.map(([t, target], i) => at(t, target ? 'target' : `w${i}`, i));
        expect(withinBounds(list, {}, 1000, isTarget)).toHaveLength(list.length);
        const [from, to] = a < b ? [a, b] : [b, a];
        for (const o of withinBounds(list, { from, to }, 1000, isTarget)) {
          if (isTarget(o)) expect(o.time! >= from && o.time! <= to).toBe(true);
        }
      }),
    );
  });
});
