/**
 * If-None-Match: holds when no listed ETag (AND) equals the current one; `*` holds only if the blob is absent.
 * `*` on an existing blob: create operations answer 409 BlobAlreadyExists (the SDK's createIfNotExists relies
 * on it: Azure/azure-sdk-for-js sdk/storage/storage-blob/src/Clients.ts); reads and other writes: the
 * conditional-headers doc says only that they fail; the status is unconfirmed.
 */
import { etagMatches, isWeakEtag, parseEtagList, quoteEtag } from '../etag.js';
import { subject, suppliedValue, targetOf, unknownTarget, verdict, WEAK_CURRENT_ETAG } from './helpers.js';
import type { ConditionRule, RuleContext, RuleVerdict, Scope } from './rule.js';

function wildcard(ctx: RuleContext, scope: Scope, supplied: string, current: string | null): RuleVerdict {
  const v = verdict(ctx, 'etag', {
    scope,
    clause: 'ifNoneMatch',
    supplied,
    current,
    holds: false,
    explanation: `* means "only if ${subject(scope)} does not exist", and it exists`,
  });
  if (scope === 'source') return v;
  const failure = { ...v.failure!, cause: 'create-only-on-existing' as const };
  if (ctx.operation.creates && scope === 'main') {
    v.failure = { ...failure, status: 409, errorCode: 'BlobAlreadyExists' };
  } else {
    v.failure = failure;
    // Azurite accepts this on non-create writes and answers 400 on reads (docs/azurite-differences.md AZ-6, AZ-7).
    v.notes = [
      `the status Azure answers for If-None-Match: * on ${ctx.operation.name} of an existing blob is unconfirmed`,
    ];
  }
  return v;
}

function judge(ctx: RuleContext, scope: Scope, supplied: string): RuleVerdict {
  const target = targetOf(ctx, scope)!;
  const base = { scope, clause: 'ifNoneMatch' as const, supplied };
  if (!target.exists) {
    return verdict(ctx, 'etag', {
      ...base,
      current: null,
      holds: true,
      explanation: `${subject(scope)} does not exist, so nothing matches`,
    });
  }
  const current = target.etag ? quoteEtag(target.etag) : null;
  const tokens = parseEtagList(supplied);
  if (tokens.some((t) => t.wildcard)) return wildcard(ctx, scope, supplied, current);
  if (!target.etag)
    return verdict(ctx, 'etag', { ...base, current, holds: null, explanation: 'the current ETag is unknown' });
  if (isWeakEtag(target.etag))
    return verdict(ctx, 'etag', { ...base, current, holds: null, explanation: WEAK_CURRENT_ETAG });
  const results = tokens.map((t) => etagMatches(t, target.etag!));
  const holds = results.includes(true) ? false : results.includes(null) ? null : true;
  const explanation =
    holds === false
      ? `names the current ETag ${current}: ` +
        `${ctx.support.combination === 'read' && scope === 'main' ? 'your copy is current (304)' : 'the blob has not changed since that ETag'}`
      : holds === null
        ? 'a weak ETag (W/) with the current value: how Azure treats W/ is unconfirmed'
        : `the current ETag ${current} is not listed`;
  return verdict(ctx, 'etag', { ...base, current, holds, explanation });
}

export function ifNoneMatchRule(scope: Scope): ConditionRule {
  return {
    id: `${scope}:if-none-match`,
    doc: 'learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations',
    check(ctx) {
      const supplied = suppliedValue(ctx, scope, 'ifNoneMatch');
      if (supplied === undefined) return undefined;
      return unknownTarget(ctx, scope, 'ifNoneMatch', supplied) ?? judge(ctx, scope, supplied);
    },
  };
}
