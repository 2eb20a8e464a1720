/**
 * If-Match: holds when any listed ETag (OR) equals the current one, or `*` and the blob exists.
 * Doc: learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations.
 */
import { etagMatches, isWeakEtag, parseEtagList, quoteEtag } from '../etag.js';
import { subject, suppliedValue, targetOf, unknownTarget, verdict, WEAK_CURRENT_ETAG } from './helpers.js';
import type { ConditionRule, RuleContext, RuleVerdict, Scope } from './rule.js';

function judge(ctx: RuleContext, scope: Scope, supplied: string): RuleVerdict {
  const target = targetOf(ctx, scope)!;
  const base = { scope, clause: 'ifMatch' as const, supplied };
  if (!target.exists) {
    const v = verdict(ctx, 'etag', {
      ...base,
      current: null,
      holds: false,
      explanation: `${subject(scope)} does not exist, so no ETag can match (it was deleted, or never created)`,
    });
    if (scope !== 'source') v.failure = { ...v.failure!, cause: 'blob-not-found' };
    return v;
  }
  if (!target.etag)
    return verdict(ctx, 'etag', { ...base, current: null, holds: null, explanation: 'the current ETag is unknown' });
  const current = quoteEtag(target.etag);
  if (isWeakEtag(target.etag))
    return verdict(ctx, 'etag', { ...base, current, holds: null, explanation: WEAK_CURRENT_ETAG });
  const results = parseEtagList(supplied).map((t) => etagMatches(t, target.etag!));
  const holds = results.includes(true) ? true : results.includes(null) ? null : false;
  const explanation =
    holds === true
      ? `matches the current ETag ${current}`
      : holds === null
        ? `a weak ETag (W/) with the current value: Azure issues only strong ETags; how it treats W/ is unconfirmed`
        : `${supplied} ≠ current ETag ${current}: ${subject(scope)} changed after this ETag was read`;
  return verdict(ctx, 'etag', { ...base, current, holds, explanation });
}

export function ifMatchRule(scope: Scope): ConditionRule {
  return {
    id: `${scope}:if-match`,
    doc: 'learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations',
    check(ctx) {
      const supplied = suppliedValue(ctx, scope, 'ifMatch');
      if (supplied === undefined) return undefined;
      return unknownTarget(ctx, scope, 'ifMatch', supplied) ?? judge(ctx, scope, supplied);
    },
  };
}
