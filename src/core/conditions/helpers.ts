/** Small pieces the condition rules share. */
import type { CauseCode } from '../causes.js';
import type { BlobState } from '../types.js';
import {
  ERROR_CONDITION_NOT_MET,
  type Clause,
  type Failure,
  type RuleContext,
  type RuleVerdict,
  type Scope,
} from './rule.js';
import { headerFor } from './support.js';

const CAUSE_OF: Record<Clause, CauseCode> = {
  ifMatch: 'stale-etag',
  ifNoneMatch: 'if-none-match-current',
  ifModifiedSince: 'not-modified-since',
  ifUnmodifiedSince: 'modified-since',
  tagConditions: 'tags-condition',
};

/**
 * Azure Blob Storage issues only strong ETags (https://learn.microsoft.com/rest/api/storageservices/
 * specifying-conditional-headers-for-blob-service-operations): a weak one in a response was rewritten on the way
 * (a proxy, a CDN), and the blob's real ETag is then unknown. A condition on it cannot be judged either way.
 */
export const WEAK_CURRENT_ETAG =
  'the service answered a weak ETag (W/…): Azure Blob Storage issues only strong ETags, so something between ' +
  "(a proxy or a CDN) rewrote it and the blob's real ETag is unknown";

/** The state a scope's conditions are judged against: the copy source for x-ms-source-if-*. */
export function targetOf(ctx: RuleContext, scope: Scope): BlobState | undefined {
  return scope === 'source' ? ctx.state.source : ctx.state;
}

/**
 * Copies and From-URL writes name the destination's failure apart from the source's (TargetConditionNotMet vs
 * SourceConditionNotMet): Azure/azure-sdk-for-js storage-blob's "destination condition" test of syncUploadFromURL
 * and Azure/azure-sdk-for-go's recorded TestBlobStartCopyDestIf{Match,NoneMatch,ModifiedSince}False (Copy Blob),
 * both run against live Azure, expect 412 TargetConditionNotMet.
 */
const COPY_TARGETS = new Set(['CopyBlob', 'CopyBlobFromURL', 'PutBlobFromURL', 'PutBlockFromURL']);

/**
 * What Azure answers when a clause fails. Reads: IM/IUS/tags → 412, INM/IMS → 304; writes → 412
 * (ConditionNotMet in learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes). Copy-source
 * failures carry SourceConditionNotMet (Copy Blob doc; Azure/azure-sdk-for-go TestBlobStartCopySourceIfNoneMatchFalse).
 */
function failureFor(ctx: RuleContext, scope: Scope, clause: Clause): Failure {
  if (scope === 'source') return { status: 412, errorCode: 'SourceConditionNotMet', cause: 'source-condition' };
  if (scope === 'main' && COPY_TARGETS.has(ctx.operation.name))
    return { status: 412, errorCode: 'TargetConditionNotMet', cause: 'target-condition' };
  const notModified =
    scope === 'main' &&
    ctx.support.combination === 'read' &&
    (clause === 'ifNoneMatch' || clause === 'ifModifiedSince');
  return { status: notModified ? 304 : 412, errorCode: ERROR_CONDITION_NOT_MET, cause: CAUSE_OF[clause] };
}

/** The supplied header value, when the operation accepts this clause in this scope. */
export function suppliedValue(ctx: RuleContext, scope: Scope, clause: Clause): string | undefined {
  if (!ctx.support.scopes[scope].has(clause)) return undefined;
  return ctx.headers[headerFor(scope, clause)];
}

export function subject(scope: Scope): string {
  return scope === 'source' ? 'the copy source' : 'the blob';
}

interface VerdictInput {
  scope: Scope;
  clause: Clause;
  supplied: string;
  current: string | null;
  holds: boolean | null;
  explanation: string;
}

export function verdict(ctx: RuleContext, family: RuleVerdict['family'], input: VerdictInput): RuleVerdict {
  const header = headerFor(input.scope, input.clause);
  const out: RuleVerdict = { family, header, ...input };
  if (input.holds === false) out.failure = failureFor(ctx, input.scope, input.clause);
  return out;
}

/** For rules that do not apply when the state is unknown or missing. */
export function unknownTarget(
  ctx: RuleContext,
  scope: Scope,
  clause: Clause,
  supplied: string,
): RuleVerdict | undefined {
  const target = targetOf(ctx, scope);
  if (target) return undefined;
  return verdict(
    ctx,
    clause === 'tagConditions' ? 'tags' : clause === 'ifMatch' || clause === 'ifNoneMatch' ? 'etag' : 'date',
    {
      scope,
      clause,
      supplied,
      current: null,
      holds: null,
      explanation: `${subject(scope)}'s state was not read, so this cannot be checked`,
    },
  );
}
