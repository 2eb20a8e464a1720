/** Shared by the two date rules: parse the header, compare whole seconds with Last-Modified. */
import { formatHttpDate, parseHttpDate, toEpochSeconds } from '../http-date.js';
import { subject, targetOf, unknownTarget, verdict } from './helpers.js';
import type { RuleContext, RuleVerdict, Scope } from './rule.js';

export interface DateComparison {
  clause: 'ifModifiedSince' | 'ifUnmodifiedSince';
  /** Does the condition hold, given Last-Modified and the header, in epoch seconds? */
  holds(lastModified: number, supplied: number): boolean;
  describe(holds: boolean, lastModified: string, equal: boolean): string;
}

export function judgeDate(ctx: RuleContext, scope: Scope, supplied: string, cmp: DateComparison): RuleVerdict {
  const unknown = unknownTarget(ctx, scope, cmp.clause, supplied);
  if (unknown) return unknown;
  const target = targetOf(ctx, scope)!;
  const base = { scope, clause: cmp.clause, supplied };
  const parsed = parseHttpDate(supplied);
  if (!parsed.ok) {
    return verdict(ctx, 'date', {
      ...base,
      current: null,
      holds: null,
      explanation: `${parsed.issue.message}; RFC 7232 says to ignore it, Azure may answer 400 InvalidHeaderValue (unconfirmed)`,
    });
  }
  if (!target.exists) {
    return verdict(ctx, 'date', {
      ...base,
      current: null,
      holds: null,
      explanation:
        `${subject(scope)} does not exist; whether Azure applies a date condition to a missing blob ` +
        `is unconfirmed (Azurite skips it)`,
    });
  }
  if (!target.lastModified)
    return verdict(ctx, 'date', { ...base, current: null, holds: null, explanation: 'Last-Modified is unknown' });
  const last = toEpochSeconds(target.lastModified);
  const wanted = toEpochSeconds(parsed.value);
  const holds = cmp.holds(last, wanted);
  const current = formatHttpDate(new Date(last * 1000));
  return verdict(ctx, 'date', { ...base, current, holds, explanation: cmp.describe(holds, current, last === wanted) });
}
