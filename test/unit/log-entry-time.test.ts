/**
 * The service-log time fast path (serviceLogTime: `$logs` ISO times and RFC 850 last-modified times read from the
 * text) must give what the general path (Date.parse) gives for every string it answers, and answer the shapes a
 * `$logs` line holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyTimeToIsoUtc, serviceLogTime, toIsoUtc } from '../../src/parse/log-entry.js';

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
const iso = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
    two(14),
    two(33),
    two(25),
    two(61),
    two(61),
    fc.option(fc.stringMatching(/^\d{0,10}$/), { nil: undefined }),
  )
  .map(([y, mo, d, h, mi, s, frac]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${frac === undefined ? '' : `.${frac}`}Z`);
const rfc850 = fc
  .tuple(
    fc.constantFrom('Tuesday', 'Monday', 'Sunday', 'Wednesday', 'tuesday', 'Tue'),
    two(33),
    fc.constantFrom('Jan', 'Feb', 'Mar', 'Jun', 'Sep', 'Nov', 'Dec', 'nov', 'Foo'),
    two(99),
    two(25),
    two(61),
    two(61),
    fc.constantFrom(' GMT', ' gmt', ' GMT ', ''),
  )
  .map(([wd, d, mo, yy, h, mi, s, zone]) => `${wd}, ${d}-${mo}-${yy} ${h}:${mi}:${s}${zone}`);

describe('service-log times read from the text', () => {
  it('agree with Date.parse wherever they answer (ISO and RFC 850, in range and out)', () => {
    fc.assert(
      fc.property(fc.oneof(iso, rfc850, fc.string()), (text) => {
        const fast = serviceLogTime(text);
        if (fast !== undefined) expect(fast).toBe(anyTimeToIsoUtc(text));
        expect(toIsoUtc(text)).toBe(anyTimeToIsoUtc(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('answer the shapes a $logs line holds', () => {
    expect(serviceLogTime('2026-11-24T18:00:00.1239999Z')).toBe('2026-11-24T18:00:00.123Z');
    expect(serviceLogTime('2026-11-24T18:00:00Z')).toBe('2026-11-24T18:00:00.000Z');
    expect(serviceLogTime('Tuesday, 24-Nov-26 18:00:00 GMT')).toBe('2026-11-24T18:00:00.000Z');
    expect(serviceLogTime('Wednesday, 24-Nov-99 18:00:00 GMT')).toBe('1999-11-24T18:00:00.000Z');
    // Left to Date.parse: a day that only the calendar can settle (30 February is 2 March there).
    expect(serviceLogTime('2026-02-30T18:00:00Z')).toBeUndefined();
    expect(toIsoUtc('2026-02-30T18:00:00Z')).toBe('2026-03-02T18:00:00.000Z');
  });
});
