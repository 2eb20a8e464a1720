/**
 * Did the failure rate change across a deploy? Failures are rare events among many requests, so each side is a
 * Poisson count with the requests as its exposure, and the two rates are compared with the exact conditional test
 * (Przyborowski & Wilenski 1940; Gu, Ng, Tang & Schucany, "Testing the ratio of two Poisson rates", Biometrical
 * Journal 50(2), 2008): given F = f1 + f2 failures in all, f2 is Binomial(F, n2 / (n1 + n2)) when the rates are
 * equal. Exact for any count, so a quiet hour with 3 failures is judged as fairly as a busy day. Pure.
 */

export const RATE_TEST_NAME = 'exact conditional binomial test of two Poisson rates (requests as exposure)';

/** Two-sided significance level. */
export const ALPHA = 0.05;

export interface RateTest {
  /** Two-sided p-value: the rates differ (as R's poisson.test and binom.test compute it). */
  pTwoSided: number;
  /** One-sided p-value for "the rate after is lower". */
  pDrop: number;
}

/** log(exp(a) + exp(b)) without overflow. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/** P(X ≤ k) for X ~ Binomial(n, p), summed in log space (pmf by recurrence from 0). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n || p <= 0) return 1;
  if (p >= 1) return 0;
  const ratio = Math.log(p) - Math.log1p(-p);
  let logPmf = n * Math.log1p(-p);
  let logSum = logPmf;
  for (let i = 0; i < k; i++) {
    logPmf += Math.log(n - i) - Math.log(i + 1) + ratio;
    logSum = logAdd(logSum, logPmf);
  }
  return Math.min(1, Math.exp(logSum));
}

/** log P(X = i) for X ~ Binomial(n, p), 0 < p < 1, i = 0..n in turn (by recurrence from 0). */
function* logPmfs(n: number, p: number): Generator<number> {
  const ratio = Math.log(p) - Math.log1p(-p);
  let logPmf = n * Math.log1p(-p);
  for (let i = 0; i <= n; i++) {
    yield logPmf;
    logPmf += Math.log(n - i) - Math.log(i + 1) + ratio;
  }
}

/** R's tolerance: outcomes within this factor of the observed one's probability count as no more likely. */
const LOG_REL_ERR = Math.log1p(1e-7);

/**
 * Two-sided p-value of `x` for X ~ Binomial(n, p), 0 < p < 1, as R's binom.test (and scipy.stats.binomtest) define
 * it: the probability of every outcome no more likely than `x` — `x`'s own tail, and the outcomes of the other tail
 * whose probability is at most x's. (Doubling the smaller tail, which is what R does not do, agrees with it only when
 * the distribution is symmetric: 0 failures of 9 at p = 1/3 is 0.034, not 0.052.)
 */
export function binomialTwoSided(x: number, n: number, p: number): number {
  const m = n * p;
  if (x === m) return 1;
  let logD = -Infinity;
  let i = 0;
  for (const l of logPmfs(n, p)) if (i++ === x) logD = l;
  let own = -Infinity;
  let other = -Infinity;
  i = 0;
  for (const l of logPmfs(n, p)) {
    if (x < m ? i <= x : i >= x) own = logAdd(own, l);
    else if ((x < m ? i >= Math.ceil(m) : i <= Math.floor(m)) && l <= logD + LOG_REL_ERR) other = logAdd(other, l);
    i++;
  }
  return Math.min(1, Math.exp(own) + Math.exp(other));
}

/** `before` and `after`: failures among requests on each side. Undefined when a side has no requests. */
export function compareRates(
  before: { requests: number; failures: number },
  after: { requests: number; failures: number },
): RateTest | undefined {
  if (before.requests === 0 || after.requests === 0) return undefined;
  const total = before.failures + after.failures;
  if (total === 0) return { pTwoSided: 1, pDrop: 1 };
  const p = after.requests / (before.requests + after.requests);
  return { pTwoSided: binomialTwoSided(after.failures, total, p), pDrop: binomialCdf(after.failures, total, p) };
}
