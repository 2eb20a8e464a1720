import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/commands/load.js';
import { explainLoad, type LoadResult } from '../../src/core/load-report.js';
import { CnmError } from '../../src/core/errors.js';

describe('cnm load options', () => {
  it.each([
    [{}, ['blind', 'etag', 'lease'], 8, 10],
    [{ strategy: ['etag'] }, ['etag'], 8, 10],
    [{ strategy: ['lease,blind'], writers: '32', ops: '5' }, ['lease', 'blind'], 32, 5],
    [{ strategy: ['etag', 'blind, etag', 'LEASE'] }, ['etag', 'blind', 'lease'], 8, 10],
  ])('%j → strategies %j, %i writers, %i ops', (options, strategies, writers, ops) => {
    expect(loadPlan(options)).toEqual({ strategies, writers, ops });
  });

  it.each([
    [{ strategy: ['optimistic'] }, /--strategy: unknown strategy "optimistic"/],
    [{ writers: '0' }, /--writers: must be a whole number from 1 to 256/],
    [{ ops: '2.5' }, /--ops: must be a whole number/],
    [{ blob: 'c/scratch.json' }, /--blob writes to a real blob: nothing was written/],
    [{ execute: true }, /--execute applies only with --blob/],
  ])('%j is a usage error (exit 2): %s', (options, message) => {
    let err: unknown;
    try {
      loadPlan(options);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CnmError);
    expect((err as CnmError).exitCode).toBe(2);
    expect((err as CnmError).message).toMatch(message);
  });
});

const result = (over: Partial<LoadResult>): LoadResult => ({
  strategy: 'etag',
  writers: 32,
  ops: 10,
  lostUpdates: 0,
  conditionFailures: 0,
  conditionFailureRate: 0,
  attemptsPerWrite: 1,
  throughput: 100,
  p50Ms: 5,
  p99Ms: 40,
  reordered: 0,
  duplicated: 0,
  failedWrites: 0,
  leaseConflicts: 0,
  errors: [],
  ...over,
});

describe('explainLoad: what the numbers mean', () => {
  it('names the load, then one sentence a strategy', () => {
    expect(
      explainLoad([
        result({ strategy: 'blind', lostUpdates: 250 }),
        result({ strategy: 'etag', attemptsPerWrite: 7.5, conditionFailureRate: 0.87, p99Ms: 900 }),
        result({ strategy: 'lease', throughput: 41.2, leaseConflicts: 310, p99Ms: 2100 }),
      ]),
    ).toEqual([
      '32 writers × 10 writes each, on one blob:',
      'blind writes lost 250 of 320 updates (78%): the last writer wins and nobody is told.',
      'optimistic retries (If-Match) spent 7.5 attempts per write; 87% of write requests were answered 412; ' +
        'no update lost, none out of order; p99 900 ms.',
      'a lease serializes the writers at 41.2 writes/s (p99 2100 ms; 310 acquires waited for another holder); ' +
        'no update lost, none out of order.',
    ]);
  });

  it('a blind run that lost nothing is called luck; damage under etag or lease is spelled out', () => {
    const [, blind, etag] = explainLoad([
      result({ strategy: 'blind' }),
      result({ strategy: 'etag', lostUpdates: 2, duplicated: 1, failedWrites: 3 }),
    ]);
    expect(blind).toMatch(/luck, not a guarantee/);
    expect(etag).toMatch(/2 of 320 updates lost, 1 update applied twice, 3 writes gave up with an error/);
  });
});
