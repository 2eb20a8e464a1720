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
  /** Two-sided p-value: the rates differ. */
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

/** `before` and `after`: failures among requests on each side. Undefined when a side has no requests. */
export function compareRates(
  before: { requests: number; failures: number },
  after: { requests: number; failures: number },
): RateTest | undefined {
  if (before.requests === 0 || after.requests === 0) return undefined;
  const total = before.failures + after.failures;
  if (total === 0) return { pTwoSided: 1, pDrop: 1 };
  const p = after.requests / (before.requests + after.requests);
  const lower = binomialCdf(after.failures, total, p);
  const upper = 1 - binomialCdf(after.failures - 1, total, p);
  return { pTwoSided: Math.min(1, 2 * Math.min(lower, upper)), pDrop: lower };
}
