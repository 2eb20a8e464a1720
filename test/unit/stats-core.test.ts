/** The pure parts of cnm stats: the rate test, the bounded counter, the bucket grid, the option plan, the aggregator. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLogEntry } from '../../src/core/diagnose/observed.js';
import { StatsAggregator } from '../../src/core/stats/aggregate.js';
import { BucketGrid, chooseBucket, isoDuration } from '../../src/core/stats/buckets.js';
import { hostOf } from '../../src/core/stats/failure.js';
import { HeavyHitters } from '../../src/core/stats/heavy-hitters.js';
import { planStats } from '../../src/core/stats/options.js';
import { binomialCdf, binomialTwoSided, compareRates } from '../../src/core/stats/rate-test.js';

describe('a caller address without its port (hostOf)', () => {
  /** What it was written as first: two regexes. */
  function byRegex(ip: string | undefined): string | undefined {
    if (!ip) return undefined;
    const v6 = /^\[(.*)\]:\d+$/.exec(ip);
    if (v6) return v6[1];
    return /^[\d.]+:\d+$/.test(ip) ? ip.slice(0, ip.lastIndexOf(':')) : ip;
  }

  it('is what the regexes give, for any string of the characters addresses are made of', () => {
    const char = fc.constantFrom(...'0123456789.:[]abf\n\u2028 '.split(''));
    fc.assert(
      fc.property(fc.option(fc.array(char, { maxLength: 14 }).map((a) => a.join(''))), (ip) => {
        expect(hostOf(ip ?? undefined)).toBe(byRegex(ip ?? undefined));
      }),
      { numRuns: 20_000 },
    );
    expect(hostOf('10.0.0.2:500')).toBe('10.0.0.2');
    expect(hostOf('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(hostOf('2001:db8::1')).toBe('2001:db8::1');
    expect(hostOf('[a\nb]:1')).toBe('[a\nb]:1');
  });
});

describe('the exact conditional test of two Poisson rates', () => {
  it('binomial CDF: Binomial(10, 0.5), P(X ≤ 2) = 56/1024', () => {
    expect(binomialCdf(2, 10, 0.5)).toBeCloseTo(56 / 1024, 12);
    expect(binomialCdf(10, 10, 0.3)).toBe(1);
    expect(binomialCdf(-1, 10, 0.3)).toBe(0);
  });

  it('40 of 400 before, 20 of 400 after: p = 0.0135 two-sided (as R poisson.test(c(20, 40), c(400, 400)))', () => {
    const t = compareRates({ requests: 400, failures: 40 }, { requests: 400, failures: 20 })!;
    expect(t.pTwoSided).toBeCloseTo(0.01349, 4);
    expect(t.pDrop).toBeCloseTo(0.00674, 4);
  });

  it('two-sided p-values as R binom.test and poisson.test give them, on unequal exposures too', () => {
    // References: R's own examples (binom.test(682, 925, p = 3/4): p = 0.3825; poisson.test(c(11, 6 + 8 + 7),
    // c(800, 1083 + 1050 + 878)): p = 0.07967) and scipy.stats.binomtest 1.17.1, which follows binom.test; the first
    // row was 0.052 when the smaller tail was doubled, and not significant.
    const cases: [number, number, number, number][] = [
      [0, 9, 1 / 3, 0.034293552812071325],
      [682, 925, 0.75, 0.3824915595748517],
      [11, 32, 800 / (800 + 3011), 0.0796686330333295],
      [5, 15, 0.5, 0.30175781249999994],
      [7, 20, 0.2, 0.09822172861346881],
      [60, 120, 1 / 3, 0.0002019227582050792],
      [400, 14_300, 0.03, 0.16229345038602144],
      [3, 3, 0.5, 0.25],
      [0, 1, 0.9, 0.1],
      [250, 1000, 0.25, 1],
      [9, 9, 1 / 3, 5.0805263425290837e-5],
    ];
    for (const [x, n, p, want] of cases) expect(binomialTwoSided(x, n, p), `${x} of ${n} at ${p}`).toBeCloseTo(want, 9);
    // cnm's compare: the failures after the deploy among all of them, the requests as exposure.
    const t = compareRates({ requests: 200, failures: 9 }, { requests: 100, failures: 0 })!;
    expect(t.pTwoSided).toBeCloseTo(0.034293552812071325, 9);
  });

  it('the same rate on both sides is not significant; a side without requests has no test', () => {
    expect(compareRates({ requests: 200, failures: 20 }, { requests: 200, failures: 20 })!.pTwoSided).toBe(1);
    expect(compareRates({ requests: 0, failures: 0 }, { requests: 10, failures: 1 })).toBeUndefined();
  });

  it('a million failures is still exact and quick', () => {
    const t = compareRates({ requests: 1e8, failures: 1e6 }, { requests: 1e8, failures: 999_000 })!;
    expect(t.pTwoSided).toBeGreaterThan(0.05);
  });
});

describe('the bounded hot-blob counter (Misra-Gries)', () => {
  it('never holds more than 2 × capacity keys; every key above n/capacity is kept, short by at most n/capacity', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 800 }), (stream) => {
        const capacity = 8;
        const hh = new HeavyHitters(capacity, () => null);
        const truth = new Map<string, number>();
        for (const x of stream) {
          const key = `k${x % 7 === 0 ? 0 : x}`;
          hh.add(key);
          truth.set(key, (truth.get(key) ?? 0) + 1);
        }
        const kept = hh.top(1000);
        expect(kept.length).toBeLessThanOrEqual(2 * capacity);
        const bound = stream.length / capacity;
        for (const [key, n] of truth) {
          const got = hh.get(key)?.count ?? 0;
          expect(got).toBeLessThanOrEqual(n);
          expect(got).toBeGreaterThanOrEqual(n - bound);
          expect(n - got).toBeLessThanOrEqual(hh.maxError);
        }
      }),
    );
  });
});

describe('buckets', () => {
  it.each([
    [2 * 3_600_000, 'PT5M'],
    [24 * 3_600_000, 'PT1H'],
    [7 * 86_400_000, 'PT6H'],
    [30 * 86_400_000, 'P1D'],
  ])('a range of %i ms → %s', (range, iso) => {
    expect(isoDuration(chooseBucket(range))).toBe(iso);
  });

  it('ISO 8601 durations', () => {
    expect(isoDuration(90_000)).toBe('PT1M30S');
    expect(isoDuration(86_400_000 + 3_600_000)).toBe('P1DT1H');
  });

  it('the grid starts on a bucket boundary and covers the range', () => {
    const g = new BucketGrid(Date.parse('2026-11-24T00:10:00Z'), Date.parse('2026-11-24T03:00:00Z'), 3_600_000);
    expect(g.start(0)).toBe('2026-11-24T00:00:00.000Z');
    expect(g.count).toBe(3);
    expect(g.index(Date.parse('2026-11-24T02:59:59Z'))).toBe(2);
  });
});

describe('the option plan', () => {
  const now = new Date('2026-11-25T00:00:00Z');
  it('defaults: the last 24 hours, hourly, top 10', () => {
    const r = planStats({}, now);
    expect(r).toMatchObject({ ok: true, plan: { until: now.getTime(), bucket: 'PT1H', top: 10, expectDrop: false } });
    expect(r.ok && r.plan.until - r.plan.since).toBe(86_400_000);
  });

  it.each([
    [{ failAbove: '2.5%' }, 0.025],
    [{ failAbove: '0.1' }, 0.1],
  ])('--fail-above %j', (flags, rate) => {
    const r = planStats(flags, now);
    expect(r.ok && r.plan.failAbove).toBe(rate);
  });

  it.each([
    [{ failAbove: '150%' }, /not a rate/],
    [{ bucket: '10ms' }, /shorter than a second/],
    [{ bucket: '1s', since: '30d' }, /more than 10000 buckets/],
    [{ deployedAt: 'yesterday' }, /not an ISO 8601 time/],
    [{ blob: 'Orders/a' }, /--blob: "Orders" is not a valid container name/],
    [{ blob: 'ab/' }, /"ab" is not a valid container name/],
    [{ blob: 'a--b' }, /"a--b" is not the start of a container name/],
    [{ blob: '/Acct/orders/a' }, /"Acct" has capitals/],
    [{ blob: '/acct/x_y/a' }, /"x_y" is not a valid container name/],
  ])('%j is refused', (flags, message) => {
    const r = planStats(flags, now);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });
  it.each(['orders/a', 'ab', 'o', '$lo', '$logs/2026', '/acct', '/ac', '/acct/ab', '/contoso-cdn/media/x', 'or-'])(
    '--blob %s is a prefix a blob can be under',
    (blob) => {
      const r = planStats({ blob }, now);
      expect(r.ok && r.plan.blob).toBe(blob);
    },
  );
});

describe('the aggregator', () => {
  const grid = new BucketGrid(Date.parse('2026-11-24T00:00:00Z'), Date.parse('2026-11-24T04:00:00Z'), 3_600_000);
  const entry = (minute: number, status: number, errorCode?: string, blob = 'a.json') =>
    fromLogEntry(
      {
        time: new Date(Date.parse('2026-11-24T00:00:00Z') + minute * 60_000).toISOString(),
        operation: 'PutBlob',
        status,
        errorCode,
        account: 'acct',
        container: 'c',
        blob,
        callerIp: '10.0.0.1:1234',
        source: { kind: 'analytics-log' },
      },
      minute,
    );

  it('failures judged later: settled in order, and the waiting list holds only those still waiting', () => {
    const answers: (() => void)[] = [];
    let longest = 0;
    const agg: StatsAggregator = new StatsAggregator(grid, {}, 4, (settle) => ({
      judge: (failed) => {
        const caller = failed.observe().requestId ?? null;
        answers.push(() => settle({ kind: 'other-writer', caller, userAgent: null, identity: null }));
        return undefined;
      },
    }));
    // 20,000 failures, each answered ten failures later, as a judge on another thread would.
    for (let i = 0; i < 20_000; i++) {
      agg.add({ ...entry(i % 200, 412, 'ConditionNotMet'), requestId: `r${i % 7}` });
      if (answers.length > 10) answers.shift()!();
      longest = Math.max(longest, (agg as unknown as { pending: unknown[] }).pending.length);
    }
    while (answers.length) answers.shift()!();
    expect(agg.unsettled).toBe(0);
    expect(agg.byOrigin.get('other-writer')).toBe(20_000);
    expect([...agg.callers.values()].map((c) => [c.caller, c.failures])).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((k) => [`r${k}`, k < 20_000 % 7 ? 2858 : 2857]),
    );
    expect(longest).toBeLessThan(2100);
  });

  it('the series and the totals agree, whatever the requests', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -30, max: 300 }), fc.constantFrom(200, 201, 304, 409, 412)), {
          maxLength: 200,
        }),
        (reqs) => {
          const agg = new StatsAggregator(grid, {}, 4);
          for (const [m, s] of reqs) agg.add(entry(m, s, s === 409 ? 'LeaseIdMissing' : undefined, `b${m % 5}.json`));
          const sum = (k: 'requests' | 'failures') => agg.series.reduce((a, b) => a + b[k], 0);
          expect(sum('requests')).toBe(agg.requests);
          expect(sum('failures')).toBe(agg.failures);
          expect(agg.requests + agg.outOfRange).toBe(reqs.length);
          const failing = [...agg.failing.values()].reduce((a, b) => a + b.failures, 0);
          expect(failing).toBe(agg.failures);
          expect(agg.failures).toBe(reqs.filter(([m, s]) => m >= 0 && m < 240 && (s === 409 || s === 412)).length);
        },
      ),
    );
  });

  it('a 409 that is no condition failure (ContainerAlreadyExists) is not counted; 304 is counted apart', () => {
    const agg = new StatsAggregator(grid);
    agg.add(entry(1, 409, 'ContainerAlreadyExists'));
    agg.add(entry(2, 304));
    agg.add(entry(3, 409, 'BlobAlreadyExists'));
    expect([agg.failures, agg.notModified, [...agg.byErrorCode]]).toEqual([1, 1, [['BlobAlreadyExists', 1]]]);
  });
});
