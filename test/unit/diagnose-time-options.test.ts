import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hoursOf, logHours, parseDuration, parseIsoTime, parseTimeArg } from '../../src/core/diagnose/time-options.js';

const NOW = new Date('2026-11-24T18:30:00Z');
const HOUR = 3_600_000;

describe('--since/--until/--time: a duration or an ISO 8601 date-time, nothing else', () => {
  it.each([
    ['30s', '2026-11-24T18:29:30.000Z'],
    ['5m', '2026-11-24T18:25:00.000Z'],
    ['2h', '2026-11-24T16:30:00.000Z'],
    ['7d', '2026-11-17T18:30:00.000Z'],
    ['1h30m', '2026-11-24T17:00:00.000Z'],
  ])('duration %s → that long before now', (text, iso) => {
    expect(parseTimeArg(text, NOW)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['2026-11-24T17:00', '2026-11-24T17:00:00.000Z'],
    ['2026-11-24T17:00:05Z', '2026-11-24T17:00:05.000Z'],
    ['2026-11-24 17:00:05.123456z', '2026-11-24T17:00:05.123Z'],
    ['2026-11-24T18:00:00+01:00', '2026-11-24T17:00:00.000Z'],
    ['2026-11-24T12:00-0530', '2026-11-24T17:30:00.000Z'],
    ['2026-11-24', '2026-11-24T00:00:00.000Z'],
    ['2024-02-29T00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('ISO 8601 %s → %s (no zone means UTC)', (text, iso) => {
    expect(parseTimeArg(text, NOW)).toEqual({ ok: true, value: iso });
  });

  it.each([
    '5',
    '2026',
    '0',
    '-5',
    '5Z',
    '2026Z',
    '1e3',
    '20261124',
    'yesterday',
    '',
    '2026-13-01',
    '2026-02-30',
    '2025-02-29',
    '2026-11-24T24:00Z',
    '2026-11-24T18:60Z',
    '2026-11-24T18:00+24:00',
    '2026-11-24T18',
    'Tue, 24 Nov 2026 18:00:00 GMT',
    '5 minutes',
  ])('%j is neither a duration nor an ISO date-time → rejected with a message, never read as some date', (text) => {
    const r = parseTimeArg(text, NOW);
    expect(r).toMatchObject({
      ok: false,
      message: expect.stringMatching(/neither a duration .* nor an ISO 8601 time/),
    });
  });

  it('a duration too long for a date (99999999999d) → rejected with a clear message, not an exception', () => {
    expect(parseTimeArg('99999999999d', NOW)).toEqual({
      ok: false,
      message: '"99999999999d" is too long (at most 36500d)',
    });
    expect(parseDuration('99999999999d').ok).toBe(false);
    expect(parseDuration(`${'9'.repeat(400)}s`).ok).toBe(false);
    expect(parseDuration('36500d')).toEqual({ ok: true, value: 36_500 * 24 * HOUR });
  });
});

describe('time option properties', () => {
  const durationText = fc
    .array(fc.tuple(fc.nat({ max: 1e12 }), fc.constantFrom('ms', 's', 'm', 'h', 'd')), { minLength: 1, maxLength: 4 })
    .map((ps) => ps.map(([n, u]) => `${n}${u}`).join(''));
  const isoish = fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
      fc.constantFrom('', 'Z', '+01:00', '-1230', '+24:00'),
    )
    .map(
      ([y, mo, d, h, mi, z]) =>
        `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}${z}`,
    );
  const anyText = fc.oneof(fc.string(), durationText, isoish, fc.integer().map(String), fc.double().map(String));

  it('never throws, and every accepted value is a valid date that reads back as itself', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const r = parseTimeArg(text, NOW);
        if (!r.ok) return;
        expect(Number.isNaN(Date.parse(r.value))).toBe(false);
        expect(new Date(r.value).toISOString()).toBe(r.value);
      }),
      { numRuns: 2000 },
    );
  });

  it('a bare number is never a time', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.double({ noNaN: true })),
        fc.constantFrom('', ' ', 'Z', 'z'),
        (n, suffix) => {
          expect(parseTimeArg(`${n}${suffix}`, NOW).ok).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('any UTC instant written as ISO 8601 reads back as the same instant', () => {
    const date = fc.date({
      min: new Date('0000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59.999Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(date, (d) => {
        expect(parseTimeArg(d.toISOString(), NOW)).toEqual({ ok: true, value: d.toISOString() });
        expect(parseIsoTime(d.toISOString().replace('Z', '+00:00'))).toBe(d.getTime());
      }),
      { numRuns: 1000 },
    );
  });

  it('a duration of n units means n units before now', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 36_500 }),
        fc.constantFrom(['s', 1000], ['m', 60_000], ['h', HOUR], ['d', 24 * HOUR]),
        (n, [unit, ms]) => {
          expect(parseTimeArg(`${n}${unit}`, NOW)).toEqual({
            ok: true,
            value: new Date(NOW.getTime() - n * ms).toISOString(),
          });
        },
      ),
    );
  });
});

describe('logHours: the $logs hours --analytics-logs lists', () => {
  const at = (iso: string) => new Date(iso);

  it('--since alone means until now: the hours from since to now, one hour of margin each side', () => {
    const r = logHours({ from: '2026-11-24T16:30:00.000Z' }, { now: NOW });
    expect(r.hours.map((h) => h.toISOString().slice(11, 13))).toEqual(['15', '16', '17', '18', '19']);
    expect(r.notes).toEqual([]);
    expect(hoursOf({ from: '2026-11-24T16:30:00.000Z' }, 72, NOW)).toEqual(r.hours);
  });

  it('within the cap: every hour from since to until, no note', () => {
    const r = logHours({ from: '2026-11-24T10:00:00Z', to: '2026-11-24T12:00:00Z' }, { now: NOW });
    expect(r.hours[0]).toEqual(at('2026-11-24T09:00:00Z'));
    expect(r.hours.at(-1)).toEqual(at('2026-11-24T13:00:00Z'));
    expect(r.notes).toEqual([]);
  });

  it('--since 7d is over the 72-hour cap → the NEWEST 72 hours are kept and a note names the older hours skipped', () => {
    const r = logHours({ from: new Date(NOW.getTime() - 7 * 24 * HOUR).toISOString() }, { now: NOW });
    expect(r.hours).toHaveLength(72);
    expect(r.hours.at(-1)).toEqual(at('2026-11-24T19:00:00Z'));
    expect(r.hours[0]).toEqual(at('2026-11-21T20:00:00Z'));
    expect(r.notes).toEqual([
      '--analytics-logs searched the newest 72 hours of $logs (2026-11-21T20:00Z to 2026-11-24T20:00Z); the 99 older hours from 2026-11-17T17:00Z to 2026-11-21T20:00Z were not searched — narrow --since/--until to search them',
    ]);
  });

  it('no --since (only --until, or nothing) → no hours: there is nothing to bound the listing', () => {
    expect(logHours({ to: '2026-11-24T12:00:00Z' }, { now: NOW }).hours).toEqual([]);
    expect(logHours({}, { now: NOW }).hours).toEqual([]);
  });
});
