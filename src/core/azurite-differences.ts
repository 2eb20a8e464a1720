/**
 * What Azurite 3.35 answers where it differs from Azure (docs/azurite-differences.md, ids AZ-n), so a
 * differential test against a real Azurite can expect the right thing. Modelled on Azurite 3.35.0's
 * LokiBlobMetadataStore.ts and src/blob/conditions/*.ts. Pure.
 */
import { ifMatchRule } from './conditions/if-match.js';
import { ifModifiedSinceRule } from './conditions/if-modified-since.js';
import { ifNoneMatchRule } from './conditions/if-none-match.js';
import { ifTagsRule } from './conditions/if-tags.js';
import { ifUnmodifiedSinceRule } from './conditions/if-unmodified-since.js';
import { leaseIdRule } from './conditions/lease-id.js';
import type { ConditionRule, RuleContext } from './conditions/rule.js';
import { parseEtagList } from './etag.js';
import { buildContext } from './evaluate.js';
import { successStatus } from './operation.js';
import type { BlobState, CapturedRequest } from './types.js';

export interface AzuriteExpectation {
  status: number;
  errorCode?: string;
  differenceId: string;
}

export interface Expected {
  status: number;
  errorCode?: string;
}

/** Azurite 3.35.0's BLOB_API_VERSION (src/blob/utils/constants.ts). */
export const AZURITE_API_VERSION = '2025-11-05';

type Answer = (Expected & { differenceId?: string }) | undefined;

const READS = new Set(['GetBlob', 'GetBlobProperties', 'GetBlobMetadata']);
const COPIES = new Set(['CopyBlob', 'CopyBlobFromURL']);
const NOT_MODIFIED = { status: 304, errorCode: 'ConditionNotMet' };
const FAILED = { status: 412, errorCode: 'ConditionNotMet' };

const fails = (ctx: RuleContext, rule: ConditionRule) => rule.check(ctx)?.holds === false;
/** Azurite compares If-Match literally after stripping quotes, so a weak W/ tag never matches (AZ-13). */
const imFails = (ctx: RuleContext, scope: 'main' | 'source') => {
  const v = ifMatchRule(scope).check(ctx);
  return v?.holds === false || (v?.holds === null && /^\s*W\//i.test(v.supplied));
};
const hasWildcardInm = (ctx: RuleContext, prefix = '') => {
  const v = ctx.headers[`${prefix}if-none-match`];
  return v !== undefined && parseEtagList(v).some((t) => t.wildcard);
};

/** Azurite's ReadConditionalHeadersValidator: IM/IUS → 412, INM/IMS → 304, INM:* → 400, tags last. */
function readValidator(ctx: RuleContext, scope: 'main' | 'source', target: BlobState | undefined): Answer {
  const prefix = scope === 'source' ? 'x-ms-source-' : '';
  // A 304 on a PUT is AZ-2; a copy-source 412 without SourceConditionNotMet is AZ-3.
  const id = scope === 'source' ? 'AZ-3' : 'AZ-2';
  if (!target?.exists) {
    if (ctx.headers[`${prefix}if-match`] !== undefined) return { ...FAILED, differenceId: scope === 'source' ? 'AZ-3' : 'AZ-1' };
    return hasWildcardInm(ctx, prefix) ? { status: 400, errorCode: 'UnsatisfiableCondition', differenceId: 'AZ-6' } : undefined;
  }
  if (imFails(ctx, scope) || fails(ctx, ifUnmodifiedSinceRule(scope))) return { ...FAILED, differenceId: imFails(ctx, scope) && scope === 'main' ? 'AZ-13' : id };
  if (hasWildcardInm(ctx, prefix)) return { status: 400, errorCode: 'UnsatisfiableCondition', differenceId: 'AZ-6' };
  const inm = ifNoneMatchRule(scope).check(ctx)?.holds;
  const ims = ifModifiedSinceRule(scope).check(ctx)?.holds;
  if ((inm === false && ims !== true) || (ims === false && inm !== true)) return { ...NOT_MODIFIED, differenceId: 'AZ-2' };
  return fails(ctx, ifTagsRule(scope)) ? { ...FAILED, differenceId: id } : undefined;
}

/** Azurite's WriteConditionalHeadersValidator on an existing resource: first present header decides; tags only alone. */
function writeConditions(ctx: RuleContext): Answer {
  const h = ctx.headers;
  if (h['if-none-match'] !== undefined) return hasWildcardInm(ctx) ? undefined : fails(ctx, ifNoneMatchRule('main')) ? FAILED : undefined;
  if (h['if-match'] !== undefined) return imFails(ctx, 'main') ? FAILED : undefined;
  if (h['if-modified-since'] !== undefined) return fails(ctx, ifModifiedSinceRule('main')) ? FAILED : undefined;
  if (h['if-unmodified-since'] !== undefined) return fails(ctx, ifUnmodifiedSinceRule('main')) ? FAILED : undefined;
  return fails(ctx, ifTagsRule('main')) ? FAILED : undefined;
}

/** Azurite's BlobWriteLeaseValidator, which has no infinite-lease check for copy destinations (AZ-11). */
function leaseCheck(ctx: RuleContext): Answer {
  const v = leaseIdRule.check(ctx);
  if (v?.holds !== false || !v.failure) return undefined;
  if (v.failure.errorCode === 'InfiniteLeaseDurationRequired') return undefined;
  return { status: v.failure.status, errorCode: v.failure.errorCode };
}

function missingWrite(ctx: RuleContext): Answer {
  const im = ctx.headers['if-match'];
  const creates = ctx.operation.creates || ctx.operation.name === 'PutBlock';
  if (im !== undefined && !parseEtagList(im).some((t) => t.wildcard)) return { ...FAILED, differenceId: 'AZ-1' };
  // Azurite 3.35 lets If-Match: * through on a missing blob (fixed in 3.36.0, Azurite PR #2621) and skips the lease check.
  if (creates) return { status: successStatus(ctx.operation), differenceId: im !== undefined ? 'AZ-12' : 'AZ-20' };
  return { status: 404, errorCode: ctx.operation.target === 'container' ? 'ContainerNotFound' : 'BlobNotFound' };
}

function write(ctx: RuleContext, azure: Expected): Answer {
  if (!ctx.state.exists) return missingWrite(ctx);
  const condition = writeConditions(ctx);
  if (condition) return { ...condition, differenceId: azure.errorCode?.startsWith('Lease') ? 'AZ-9' : 'AZ-4' };
  if (hasWildcardInm(ctx)) {
    if (ctx.operation.creates) return { status: 409, errorCode: 'BlobAlreadyExists', differenceId: 'AZ-8' };
  }
  const lease = leaseCheck(ctx);
  if (lease) return lease;
  const id = hasWildcardInm(ctx) ? 'AZ-7' : COPIES.has(ctx.operation.name) ? 'AZ-11' : ctx.headers['x-ms-if-tags'] ? 'AZ-4' : undefined;
  return id ? { status: successStatus(ctx.operation), differenceId: id } : undefined;
}

function azuriteAnswer(ctx: RuleContext, azure: Expected): Answer {
  const op = ctx.operation.name;
  if (op === 'SetBlobTags' || op === 'SetBlobTier' || op === 'GetBlobTags') {
    // Conditions other than x-ms-if-tags on Get Blob Tags are never evaluated (AZ-5).
    if (!ctx.state.exists) return undefined;
    if (op === 'GetBlobTags' && fails(ctx, ifTagsRule('main'))) return FAILED;
    return leaseCheck(ctx) ?? { status: successStatus(ctx.operation), differenceId: 'AZ-5' };
  }
  if (READS.has(op) || op === 'SnapshotBlob') {
    const read = readValidator(ctx, 'main', ctx.state);
    if (read || !ctx.state.exists) return read;
    return leaseCheck(ctx);
  }
  if (COPIES.has(op)) {
    const source = readValidator(ctx, 'source', ctx.state.source);
    if (source) return source;
  }
  if (ctx.operation.kind === 'read' || azure.status === 400) return undefined;
  return write(ctx, azure);
}

function versionGate(ctx: RuleContext): Answer {
  const version = ctx.headers['x-ms-version'];
  return version !== undefined && version > AZURITE_API_VERSION
    ? { status: 400, errorCode: 'InvalidHeaderValue', differenceId: 'AZ-14' } : undefined;
}

/**
 * What Azurite 3.35 answers instead of `azureExpected`, or undefined where it answers the same. Assumes Azurite
 * runs with --skipApiVersionCheck unless `options.skipApiVersionCheck` is false (AZ-14).
 */
export function azuriteExpectation(
  req: CapturedRequest, state: BlobState, azureExpected: Expected, options: { skipApiVersionCheck?: boolean } = {},
): AzuriteExpectation | undefined {
  const ctx = buildContext(req, state);
  const answer = (options.skipApiVersionCheck === false ? versionGate(ctx) : undefined) ?? azuriteAnswer(ctx, azureExpected);
  if (!answer || answer.differenceId === undefined) return undefined;
  const same = answer.status === azureExpected.status && (answer.errorCode ?? undefined) === (azureExpected.errorCode ?? undefined);
  if (same) return undefined;
  return { status: answer.status, ...(answer.errorCode ? { errorCode: answer.errorCode } : {}), differenceId: answer.differenceId };
}
