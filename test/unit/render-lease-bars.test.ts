import { describe, expect, it } from 'vitest';
import type { LeaseEvent } from '../../src/core/diagnose/types.js';
import { leaseAction, leaseBars } from '../../src/render/html/lease-bars.js';
import { LEASES, LEASE_ENDS } from '../helpers/lease-story.js';

const T = (s: string) => Date.parse(`2026-11-24T${s}Z`);
const ev = (time: string, action: LeaseEvent['action'], extra: Partial<LeaseEvent> = {}): LeaseEvent => ({
  time: `2026-11-24T${time}Z`,
  action,
  target: 'blob',
  caller: 'c',
  status: 201,
  ...extra,
});

describe('lease bars: acquired → renewed → expired / broken / released', () => {
  it.each([
    [
      'acquired, renewed, released',
      [
        ev('10:00:00', 'acquire', { duration: 30 }),
        ev('10:00:20', 'renew', { status: 200 }),
        ev('10:00:40', 'release', { status: 200 }),
      ],
      'released',
      T('10:00:40'),
      1,
    ],
    [
      'acquired for 15 s and never renewed: expired',
      [ev('10:00:00', 'acquire', { duration: 15 })],
      'expired',
      T('10:00:15'),
      0,
    ],
    [
      'renewed, then not again: expires one duration after the renewal',
      [ev('10:00:00', 'acquire', { duration: 15 }), ev('10:00:10', 'renew', { status: 200 })],
      'expired',
      T('10:00:25'),
      1,
    ],
    [
      'infinite, then broken',
      [ev('10:00:00', 'acquire', { duration: -1 }), ev('10:00:30', 'break', { status: 202 })],
      'broken',
      T('10:00:30'),
      0,
    ],
    [
      'expired before the release that came too late',
      [ev('10:00:00', 'acquire', { duration: 15 }), ev('10:00:40', 'release', { status: 200 })],
      'expired',
      T('10:00:15'),
      0,
    ],
    [
      'infinite and never ended: held to the end of the chart',
      [ev('10:00:00', 'acquire', { duration: -1 })],
      'open',
      T('10:05:00'),
      0,
    ],
  ])('%s', (_name, events, endedBy, end, renewals) => {
    const { bars } = leaseBars(events, T('10:05:00'));
    expect(bars).toHaveLength(1);
    expect(bars[0]).toMatchObject({ start: T('10:00:00'), end, endedBy, renewals: expect.any(Array) });
    expect(bars[0]!.renewals).toHaveLength(renewals);
  });

  it('a change ends one bar and starts the next under the new lease id', () => {
    const { bars } = leaseBars(
      [
        ev('10:00:00', 'acquire', { leaseId: 'old', duration: -1 }),
        ev('10:00:10', 'change', { leaseId: 'new', previousLeaseId: 'old', status: 200 }),
      ],
      T('10:01:00'),
    );
    expect(bars.map((b) => [b.leaseId, b.endedBy])).toEqual([
      ['old', 'changed'],
      ['new', 'open'],
    ]);
  });

  it('refused lease requests (409, 412) are marks, not bars', () => {
    const { bars, refused } = leaseBars([ev('10:00:00', 'acquire', { status: 409 })], T('10:01:00'));
    expect(bars).toEqual([]);
    expect(refused).toHaveLength(1);
  });

  it('the story the page test draws has four bars ending as expected', () => {
    const { bars, refused } = leaseBars(LEASES, T('18:05:00'));
    expect(bars.map((b) => b.endedBy)).toEqual(LEASE_ENDS);
    expect(refused).toHaveLength(1);
  });

  it.each([
    ['acquire', 'acquire'],
    ['AcquireBlobLease', 'acquire'],
    ['RenewBlobLease', 'renew'],
    ['break', 'break'],
    ['GetBlob', undefined],
  ])('action %s → %s', (action, expected) => {
    expect(leaseAction(action)).toBe(expected);
  });
});
