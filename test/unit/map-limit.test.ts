import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../src/commands/map-limit.js';

describe('mapLimit, the bound behind preflight --concurrency', () => {
  it('property: never more than `limit` in flight, every item mapped once, results in input order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        async (delays, limit) => {
          let inFlight = 0;
          let peak = 0;
          const out = await mapLimit(delays, limit, async (d, i) => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            await new Promise((r) => setTimeout(r, d));
            inFlight--;
            return i;
          });
          expect(peak).toBeLessThanOrEqual(limit);
          expect(out).toEqual(delays.map((_, i) => i));
        },
      ),
      { numRuns: 40 },
    );
  });
});
