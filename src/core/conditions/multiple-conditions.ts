/**
 * Writes (all versions) accept only two combinations, If-Match + If-Unmodified-Since and If-None-Match +
 * If-Modified-Since, and one ETag per header; anything else → 400 MultipleConditionHeadersNotSupported.
 * Doc: "Specifying conditional headers for read operations in versions prior to 2013-08-15, and for write
 * operations (all versions)" (the `doc` link below). The doc text is old; that Azure still enforces it
 * today is unconfirmed.
 */
import { parseEtagList } from '../etag.js';
import type { Clause, ConditionRule, RuleContext, RuleVerdict, Scope } from './rule.js';
import { headerFor } from './support.js';

const FOUR: Clause[] = ['ifMatch', 'ifNoneMatch', 'ifModifiedSince', 'ifUnmodifiedSince'];

function isAllowedPair(present: Clause[]): boolean {
  const set = new Set(present);
  return (
    present.length < 2 ||
    (present.length === 2 &&
      ((set.has('ifMatch') && set.has('ifUnmodifiedSince')) || (set.has('ifNoneMatch') && set.has('ifModifiedSince'))))
  );
}

function problem(ctx: RuleContext, scope: Scope): { headers: string[]; why: string } | undefined {
  const present = FOUR.filter(
    (c) => ctx.support.scopes[scope].has(c) && ctx.headers[headerFor(scope, c)] !== undefined,
  );
  const lists = present.filter(
    (c) => (c === 'ifMatch' || c === 'ifNoneMatch') && parseEtagList(ctx.headers[headerFor(scope, c)]!).length > 1,
  );
  if (lists.length > 0) {
    return { headers: lists.map((c) => headerFor(scope, c)), why: 'a write accepts one ETag per header' };
  }
  if (!isAllowedPair(present)) {
    return {
      headers: present.map((c) => headerFor(scope, c)),
      why: 'a write accepts only If-Match + If-Unmodified-Since or If-None-Match + If-Modified-Since',
    };
  }
  return undefined;
}

export const multipleConditionsRule: ConditionRule = {
  id: 'multiple-conditions',
  doc: 'learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations#specifying-conditional-headers-for-read-operations-in-versions-prior-to-2013-08-15-and-for-write-operations-all-versions',
  check(ctx): RuleVerdict | undefined {
    if (ctx.support.combination !== 'write') return undefined;
    const found = problem(ctx, 'main') ?? problem(ctx, 'blob');
    if (!found) return undefined;
    return {
      family: 'request',
      header: found.headers.join(' + '),
      supplied: found.headers.map((h) => `${h}: ${ctx.headers[h]}`).join('; '),
      current: null,
      holds: false,
      final: true,
      explanation: `${found.why}, so Azure rejects the request with 400 before looking at the blob`,
      failure: { status: 400, errorCode: 'MultipleConditionHeadersNotSupported', cause: 'multiple-conditions' },
      notes: [
        'the pair rule for writes comes from an old doc page; whether Azure still enforces it today is unconfirmed',
      ],
    };
  },
};
