/**
 * If-Modified-Since: holds only when Last-Modified is strictly later, in whole seconds (RFC 7232 §3.3; equal
 * fails). Reads answer 304, writes 412: ConditionNotMet in
 * learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes.
 */
import type { DateComparison } from './date-clause.js';
import { judgeDate } from './date-clause.js';
import { suppliedValue } from './helpers.js';
import type { ConditionRule, Scope } from './rule.js';

const IMS: DateComparison = {
  clause: 'ifModifiedSince',
  holds: (last, supplied) => last > supplied,
  describe: (holds, current, equal) =>
    holds
      ? `Last-Modified ${current} is later`
      : equal
        ? `Last-Modified ${current} is the same second, and an equal time fails If-Modified-Since`
        : `Last-Modified ${current} is earlier: not modified since`,
};

export function ifModifiedSinceRule(scope: Scope): ConditionRule {
  return {
    id: `${scope}:if-modified-since`,
    doc: 'learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations',
    check(ctx) {
      const supplied = suppliedValue(ctx, scope, 'ifModifiedSince');
      return supplied === undefined ? undefined : judgeDate(ctx, scope, supplied, IMS);
    },
  };
}
