import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHttpDate, parseHttpDate, toEpochSeconds } from '../../src/core/http-date.js';

const NOW = new Date('2026-11-24T18:00:00Z');
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function rfc850(d: Date): string {
  const [, dd, mon, yyyy, time] = d.toUTCString().split(' ') as [string, string, string, string, string];
  return `${LONG_DAYS[d.getUTCDay()]}, ${dd}-${mon}-${yyyy.slice(2)} ${time} GMT`;
}

function asctime(d: Date): string {
  const [dow, dd, mon, yyyy, time] = d.toUTCString().replace(',', '').split(' ') as [
    string,
    string,
    string,
    string,
    string,
  ];
  return `${dow} ${mon} ${String(Number(dd)).padStart(2, ' ')} ${time} ${yyyy}`;
}

describe('http-date', () => {
  it.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', 'rfc1123'],
    ['Sunday, 06-Nov-94 08:49:37 GMT', 'rfc850'],
    ['Sun Nov  6 08:49:37 1994', 'asctime'],
  ])('parses %j as %s to 1994-11-06T08:49:37Z', (text, format) => {
    const r = parseHttpDate(text, { now: NOW });
    expect(r).toEqual({ ok: true, value: new Date('1994-11-06T08:49:37Z'), format });
  });

  it.each([
    ['2026-11-24T18:00:00Z', 'not an HTTP date'],
    ['Sun, 31 Feb 2026 08:49:37 GMT', 'does not exist'],
    ['Sun, 06 Nov 1994 25:49:37 GMT', 'does not exist'],
    ['', 'not an HTTP date'],
  ])('rejects %j as data, never throwing (%s)', (text, message) => {
    const r = parseHttpDate(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue.message).toContain(message);
  });

  it('whitespace before a closing GMT reads as one space, as the regex that made it so read it', () => {
    const piece = fc.constantFrom(
      ' ',
      '\t',
      '\u00a0',
      '\n',
      'GMT',
      'gmt',
      'GmT',
      'UTC',
      'Sun, 06 Nov 1994 08:49:37',
      'x',
      '',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const text = pieces.join('');
        const normalized = text.trim().replace(/\s+GMT$/i, ' GMT');
        // The same date, or none (an issue quotes its input as given, so only whether it is one is compared).
        const read = (t: string) => {
          const r = parseHttpDate(t, { now: NOW });
          return r.ok ? { ms: r.value.getTime(), format: r.format } : 'none';
        };
        expect(read(text)).toEqual(read(normalized));
      }),
      { numRuns: 3000 },
    );
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 \t  gmt').ok).toBe(true);
  });

  it('a long run of spaces is refused in one pass', () => {
    // `/\s+GMT$/i` retried its \s+ from every space of the run: seconds for 40,000 of them.
    const started = performance.now();
    expect(parseHttpDate(`Sun,${' '.repeat(200_000)}x`).ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('RFC 850 two-digit years more than 50 years ahead mean the past century', () => {
    const r = parseHttpDate('Thursday, 01-Jan-70 00:00:00 GMT', { now: NOW });
    expect(r.ok && r.value.getUTCFullYear()).toBe(2070);
    const r2 = parseHttpDate('Friday, 01-Jan-99 00:00:00 GMT', { now: NOW });
    expect(r2.ok && r2.value.getUTCFullYear()).toBe(1999);
  });

  it('toEpochSeconds drops milliseconds (1-second resolution)', () => {
    expect(toEpochSeconds('2026-11-24T18:00:00.999Z')).toBe(toEpochSeconds(new Date('2026-11-24T18:00:00Z')));
  });

  const dates = fc.date({
    min: new Date('1977-01-01T00:00:00Z'),
    max: new Date('2075-12-31T23:59:59Z'),
    noInvalidDate: true,
  });

  it('property: parse(toUTCString(d)) round-trips at 1-second resolution', () => {
    fc.assert(
      fc.property(dates, (d) => {
        const r = parseHttpDate(formatHttpDate(d));
        expect(r.ok && r.value.getTime()).toBe(toEpochSeconds(d) * 1000);
      }),
    );
  });

  it('property: RFC 850 and asctime forms parse to the same instant as RFC 1123', () => {
    fc.assert(
      fc.property(dates, (d) => {
        const a = parseHttpDate(formatHttpDate(d), { now: NOW });
        const b = parseHttpDate(rfc850(d), { now: NOW });
        const c = parseHttpDate(asctime(d), { now: NOW });
        expect(b.ok && b.value.getTime()).toBe(a.ok && a.value.getTime());
        expect(c.ok && c.value.getTime()).toBe(a.ok && a.value.getTime());
      }),
    );
  });
});
