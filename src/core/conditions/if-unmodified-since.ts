/**
 * If-Unmodified-Since: holds when Last-Modified is at or before the time, in whole seconds (RFC 7232 §3.4;
 * equal passes). Always 412 when it fails:
 * learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations.
 */
import type { DateComparison } from './date-clause.js';
import { judgeDate } from './date-clause.js';
import { suppliedValue } from './helpers.js';
import type { ConditionRule, Scope } from './rule.js';

const IUS: DateComparison = {
  clause: 'ifUnmodifiedSince',
  holds: (last, supplied) => last <= supplied,
  describe: (holds, current, equal) =>
    holds
      ? `Last-Modified ${current} is ${equal ? 'the same second, which passes' : 'earlier'}`
      : `Last-Modified ${current} is later: the blob was modified after this time (or the client clock is behind)`,
};

export function ifUnmodifiedSinceRule(scope: Scope): ConditionRule {
  return {
    id: `${scope}:if-unmodified-since`,
    doc: 'learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations',
    check(ctx) {
      const supplied = suppliedValue(ctx, scope, 'ifUnmodifiedSince');
      return supplied === undefined ? undefined : judgeDate(ctx, scope, supplied, IUS);
    },
  };
}
