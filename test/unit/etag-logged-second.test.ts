/**
 * loggedSecond reads a request's year from its ISO time by its digits instead of parsing the time twice per call
 * (a workload summary asks once per failure): it must read the same second as the definition it replaced, which
 * took the year from new Date(near), for any time cnm writes and for anything else passed as `near`.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseHttpDate } from '../../src/core/http-date.js';
import { loggedSecond } from '../../src/core/diagnose/etag-timeline.js';
import { producedAt } from '../../src/core/diagnose/timeline.js';

function byDate(value: string, near?: string): number | undefined {
  const now = near && !Number.isNaN(Date.parse(near)) ? new Date(near) : undefined;
  const http = parseHttpDate(value, now ? { now } : {});
  const ms = http.ok ? http.value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

const iso = fc.integer({ min: Date.UTC(0, 0, 1), max: Date.UTC(9999, 11, 31) }).map((ms) => new Date(ms).toISOString());
// Days past the month's end (Feb 30, Dec 31 at the year's last second), other zones, no zone, not a time.
const odd = fc.constantFrom(
  '2026-02-30T23:59:59.000Z',
  '2026-12-31T23:59:59.999Z',
  '2049-12-31T23:59:59Z',
  '2026-11-24T18:00:00+01:00',
  '2026-01-01T00:30:00-01:00',
  'Tue, 24 Nov 2026 18:00:00 GMT',
  'not a time',
  '',
);
const date = fc.constantFrom(
  'Tuesday, 24-Nov-26 18:00:00 GMT',
  'Friday, 31-Dec-49 23:59:59 GMT',
  'Saturday, 01-Jan-50 00:00:00 GMT',
  'Tue, 24 Nov 2026 18:00:00 GMT',
  'nonsense',
);

describe('loggedSecond', () => {
  it('reads the second the year of new Date(near) gives, for any near', () => {
    fc.assert(
      fc.property(date, fc.option(fc.oneof(iso, odd), { nil: undefined }), (value, near) => {
        expect(loggedSecond(value, near)).toBe(byDate(value, near));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads RFC 850 dates ($logs writes every date condition so) as parseHttpDate does, in range or not', () => {
    const name = fc.constantFrom('Monday', 'Tuesday', 'Sunday', 'sunday', 'Tue', 'Someday', '');
    const month = fc.constantFrom('Jan', 'Feb', 'Nov', 'Dec', 'nov', 'Foo');
    // Mostly in range (the fast path's), now and then not (the general path's).
    const digits = (max: number) =>
      fc
        .oneof(
          { arbitrary: fc.integer({ min: 0, max }), weight: 9 },
          { arbitrary: fc.integer({ min: max - 1, max: 99 }), weight: 1 },
        )
        .map((n) => String(n).padStart(2, '0'));
    const text = fc
      .tuple(
        fc.oneof({ arbitrary: fc.constant('Tuesday'), weight: 5 }, { arbitrary: name, weight: 1 }),
        fc.oneof(
          { arbitrary: fc.constant(', '), weight: 5 },
          { arbitrary: fc.constantFrom(',', '; ', ' ,', ',x'), weight: 1 },
        ),
        digits(31),
        fc.oneof({ arbitrary: fc.constant('Feb'), weight: 1 }, { arbitrary: month, weight: 2 }),
        digits(99),
        digits(23),
        digits(59),
        digits(59),
        fc.oneof(
          { arbitrary: fc.constant(' GMT'), weight: 5 },
          { arbitrary: fc.constantFrom(' GMT ', '  GMT', ' UTC', ''), weight: 1 },
        ),
      )
      .map(([d, comma, day, mon, yy, hh, mm, ss, zone]) => `${d}${comma}${day}-${mon}-${yy} ${hh}:${mm}:${ss}${zone}`);
    const year = fc.integer({ min: 0, max: 9999 }).map((y) => `${String(y).padStart(4, '0')}-06-15T12:00:00.000Z`);
    fc.assert(
      fc.property(text, fc.oneof(year, iso), (value, near) => {
        expect(loggedSecond(value, near)).toBe(byDate(value, near));
      }),
      { numRuns: 5000 },
    );
  });

  afterEach(() => vi.useRealTimers());

  it("answers by the clock's year when near is not a time, even asked again in a row across a new year", () => {
    // A two-digit year is read near the clock's year when near says nothing: 77 is 1977 in 2026, 2077 in 2027.
    const value = 'Wednesday, 24-Nov-77 18:00:00 GMT';
    for (const near of ['not a time', '']) {
      vi.useFakeTimers({ now: Date.UTC(2026, 11, 31, 23, 59, 59) });
      const before = loggedSecond(value, near);
      expect(before).toBe(Date.UTC(1977, 10, 24, 18) / 1000);
      vi.setSystemTime(Date.UTC(2027, 0, 1));
      expect(loggedSecond(value, near)).toBe(Date.UTC(2077, 10, 24, 18) / 1000);
    }
  });
});

describe('producedAt', () => {
  it("reads a request's Last-Modified second as parseHttpDate, then Date.parse, would, whatever it starts with", () => {
    const lastModified = fc.oneof(
      iso,
      odd,
      date,
      fc.constantFrom(' Tue, 24 Nov 2026 18:00:00 GMT', '  2026-11-24T18:00:00Z'),
    );
    fc.assert(
      fc.property(lastModified, (value) => {
        const o = {
          time: '2026-11-24T18:00:00.000Z',
          order: 0,
          operation: 'PutBlob',
          status: 201,
          lastModified: value,
          source: { kind: 'analytics-log' as const },
        };
        expect(producedAt(o)).toBe(value ? byDate(value) : undefined);
      }),
      { numRuns: 2000 },
    );
  });
});
