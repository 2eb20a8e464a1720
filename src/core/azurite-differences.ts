/**
 * What Azurite 3.35 answers where it differs from Azure (docs/azurite-differences.md, ids AZ-n), so a
 * differential test against a real Azurite can expect the right thing. Each operation runs Azurite's own steps in
 * Azurite's order (handlers/*.js and persistence/LokiBlobMetadataStore.js of the installed 3.35.0); the
 * validators are in azurite/validators.ts. Pure.
 */
import type { RuleContext } from './conditions/rule.js';
import { buildContext } from './evaluate.js';
import { successStatus } from './operation.js';
import type { BlobState, CapturedRequest } from './types.js';
import { azuriteLeaseAction } from './azurite/lease-machine.js';
import { azuriteTags } from './azurite/tags.js';
import {
  readConditions,
  readLease,
  writeConditions,
  writeLease,
  writeReachesTags,
  type AzuriteAnswer,
} from './azurite/validators.js';

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

type Step = () => AzuriteAnswer | undefined;

const NOT_FOUND: AzuriteAnswer = { status: 404, errorCode: 'BlobNotFound' };
const missing =
  (state: BlobState | undefined): Step =>
  () =>
    state?.exists ? undefined : NOT_FOUND;
const missingTarget =
  (ctx: RuleContext): Step =>
  () =>
    ctx.state.exists
      ? undefined
      : { status: 404, errorCode: ctx.operation.target === 'container' ? 'ContainerNotFound' : 'BlobNotFound' };
/** Only a source read back as missing; an unread source is not modelled. */
const sourceMissing =
  (state: BlobState | undefined): Step =>
  () =>
    state?.exists === false ? NOT_FOUND : undefined;
const firstOf = (steps: Step[]) => steps.reduce<AzuriteAnswer | undefined>((found, step) => found ?? step(), undefined);

/** `modifiedAccessConditions.ifNoneMatch === "*"` on an existing blob, checked before the lease (AZ-8). */
const createOnly =
  (ctx: RuleContext): Step =>
  () =>
    ctx.headers['if-none-match'] === '*' && ctx.state.exists
      ? { status: 409, errorCode: 'BlobAlreadyExists', id: 'AZ-8' }
      : undefined;
/** Create paths validate the lease only when the blob exists (AZ-20). */
const leaseIfExists =
  (ctx: RuleContext): Step =>
  () =>
    ctx.state.exists ? writeLease(ctx) : undefined;

function appendConditions(ctx: RuleContext): AzuriteAnswer | undefined {
  const length = ctx.state.contentLength ?? 0;
  const pos = ctx.headers['x-ms-blob-condition-appendpos'];
  if (pos !== undefined && Number(pos) !== length) return { status: 412, errorCode: 'AppendPositionConditionNotMet' };
  const max = ctx.headers['x-ms-blob-condition-maxsize'];
  const block = Number(ctx.headers['content-length'] ?? 0);
  return max !== undefined && length + block > Number(max)
    ? { status: 412, errorCode: 'MaxBlobSizeConditionNotMet' }
    : undefined;
}

function sequenceConditions(ctx: RuleContext): AzuriteAnswer | undefined {
  const seq = ctx.state.sequenceNumber ?? 0;
  const h = ctx.headers;
  const le = h['x-ms-if-sequence-number-le'];
  const lt = h['x-ms-if-sequence-number-lt'];
  const eq = h['x-ms-if-sequence-number-eq'];
  const fails =
    (le !== undefined && Number(le) < seq) ||
    (lt !== undefined && Number(lt) <= seq) ||
    (eq !== undefined && Number(eq) !== seq);
  return fails ? { status: 412, errorCode: 'SequenceNumberConditionNotMet' } : undefined;
}

function tagsOnly(ctx: RuleContext): AzuriteAnswer | undefined {
  const tags = azuriteTags(ctx, 'main');
  return tags?.fails
    ? { status: 412, errorCode: 'ConditionNotMet', ...(tags.differs ? { id: 'AZ-29' } : {}) }
    : undefined;
}

/** Azurite's steps for each operation, in its order. */
function steps(ctx: RuleContext): Step[] | undefined {
  const s = ctx.state;
  switch (ctx.operation.name) {
    case 'GetBlob':
    case 'GetBlobProperties':
    case 'GetBlobMetadata':
    case 'SnapshotBlob': // Snapshot Blob runs the read validator: 304s and no pair rule (AZ-2).
      return [() => readConditions(ctx, 'main', s), missing(s), () => readLease(ctx)];
    case 'PutBlob':
    case 'PutBlockList':
      return [() => writeConditions(ctx), createOnly(ctx), leaseIfExists(ctx)];
    case 'SetBlobMetadata':
    case 'SetBlobProperties':
    case 'DeleteBlob':
      return [() => writeConditions(ctx), missing(s), () => writeLease(ctx)];
    case 'CopyBlob':
      // A missing source is 404 BlobNotFound before anything else (AZ-23); then the source through the read
      // validator (AZ-2, AZ-3), then the destination.
      return [
        sourceMissing(s.source),
        () => readConditions(ctx, 'source', s.source),
        () => writeConditions(ctx),
        createOnly(ctx),
        leaseIfExists(ctx),
      ];
    case 'AppendBlock':
      // AppendBlobHandler reads the blob (404) before the metadata store validates anything (AZ-22).
      return [missing(s), () => writeConditions(ctx), () => writeLease(ctx), () => appendConditions(ctx)];
    case 'PutPage':
    case 'ClearPage':
      // PageBlobHandler reads the blob and checks the lease before the metadata store's conditions (AZ-22).
      return [
        missing(s),
        () => readLease(ctx),
        () => writeLease(ctx),
        () => writeConditions(ctx),
        () => sequenceConditions(ctx),
      ];
    case 'SealBlob':
      // LokiBlobMetadataStore.sealBlob: the write conditions, existence, the lease; the append position is not
      // read at all (AZ-28).
      return [() => writeConditions(ctx), missing(s), () => writeLease(ctx)];
    case 'SetBlobTags':
    case 'SetBlobTier':
      // No condition validator at all (AZ-5).
      return [missing(s), () => writeLease(ctx)];
    case 'GetBlobTags':
    case 'GetBlockList':
      // Their generated specs carry only x-ms-if-tags into the read validator (getBlobTag, getBlockList).
      return [() => (s.exists ? tagsOnly(ctx) : undefined), missing(s), () => readLease(ctx)];
    case 'GetPageRegions':
      return [() => readConditions(ctx, 'main', s), missing(s), () => readLease(ctx)];
    case 'DeleteContainer':
      return [() => writeConditions(ctx), missingTarget(ctx), () => writeLease(ctx)];
    case 'SetContainerMetadata':
    case 'SetContainerACL':
      return [() => writeConditions(ctx), missingTarget(ctx), () => readLease(ctx)];
    case 'GetContainerProperties':
      return [missingTarget(ctx), () => readLease(ctx)];
    case 'QueryBlobContents':
      // BlobHandler.query throws NotImplementedError before anything is read or validated (AZ-31).
      return [() => ({ status: 501, errorCode: 'APINotImplemented', id: 'AZ-31' })];
    case 'PutBlobFromURL':
    case 'PutBlockFromURL':
      // BlockBlobHandler.putBlobFromUrl / stageBlockFromURL throw NotImplementedError (AZ-16).
      return [() => ({ status: 501, errorCode: 'APINotImplemented', id: 'AZ-16' })];
    default:
      // Lease Blob / Lease Container: conditions, existence, then the lease classes (LokiBlobMetadataStore
      // acquireBlobLease … breakContainerLease).
      if (
        ctx.operation.kind === 'lease' &&
        ctx.operation.name !== 'LeaseBlob' &&
        ctx.operation.name !== 'LeaseContainer'
      )
        return [() => writeConditions(ctx), missingTarget(ctx), () => azuriteLeaseAction(ctx)];
      return undefined;
  }
}

/** The AZ id for an answer whose own step is not a difference: which of Azure's rules Azurite ordered or skipped. */
function classify(ctx: RuleContext, answer: AzuriteAnswer, azure: Expected): string {
  if (answer.id) return answer.id;
  // A failing copy-destination condition: the same 412, under Azurite's generic code (AZ-27).
  if (azure.errorCode === 'TargetConditionNotMet' && answer.status === 412 && answer.errorCode === 'ConditionNotMet')
    return 'AZ-27';
  const op = ctx.operation.name;
  // Operations Azurite runs no tag check for at all (AZ-5), Get Blob Tags aside (tagsOnly).
  if (op === 'SetBlobTags' || op === 'SetBlobTier') return 'AZ-5';
  // A tags predicate Azurite holds where Azure does not: it read an Object.prototype member as a tag (AZ-29) — when
  // Azurite reached its tags step at all: its write validator does not when one of the four headers decides (AZ-4).
  const tagsReached = ctx.support.combination !== 'write' || writeReachesTags(ctx);
  if ((tagsReached && azuriteTags(ctx, 'main')?.differs) || azuriteTags(ctx, 'source')?.differs) return 'AZ-29';
  if (op === 'GetBlobTags') return 'AZ-5';
  if (op === 'SnapshotBlob') return 'AZ-2';
  if (op === 'AppendBlock' || op === 'PutPage' || op === 'ClearPage') {
    if (azure.status === 400 || answer.status === 404) return 'AZ-22';
  }
  if (op === 'CopyBlob' && ctx.state.source?.exists === false) return 'AZ-23';
  if (op === 'SealBlob' && azure.errorCode === 'AppendPositionConditionNotMet') return 'AZ-28';
  // Azurite range-checks lease headers inside its state classes, after conditions and existence (AZ-24).
  if (ctx.operation.kind === 'lease' && azure.status === 400) return 'AZ-24';
  if (ctx.headers['x-ms-lease-id'] !== undefined && !ctx.state.exists && ctx.operation.creates) return 'AZ-20';
  if (azure.errorCode?.startsWith('Lease') || azure.errorCode === 'InfiniteLeaseDurationRequired') {
    return azure.errorCode === 'InfiniteLeaseDurationRequired' ? 'AZ-11' : 'AZ-9';
  }
  if (azure.errorCode === 'SourceConditionNotMet') return 'AZ-3';
  if (ctx.headers['if-none-match'] === '*') return 'AZ-7';
  if (ctx.headers['if-match'] === '*' && !ctx.state.exists) return 'AZ-12';
  if (ctx.headers['x-ms-if-tags'] !== undefined) return 'AZ-4';
  return 'unexplained';
}

function versionGate(ctx: RuleContext): AzuriteAnswer | undefined {
  const version = ctx.headers['x-ms-version'];
  return version !== undefined && version > AZURITE_API_VERSION
    ? { status: 400, errorCode: 'InvalidHeaderValue', id: 'AZ-14' }
    : undefined;
}

/**
 * What Azurite 3.35 answers instead of `azureExpected`, or undefined where it answers the same (or the operation
 * is not modelled). `differenceId` is the docs/azurite-differences.md id that explains it, or 'unexplained'.
 * Assumes Azurite runs with --skipApiVersionCheck unless `options.skipApiVersionCheck` is false (AZ-14).
 */
export function azuriteExpectation(
  req: CapturedRequest,
  state: BlobState,
  azureExpected: Expected,
  options: { skipApiVersionCheck?: boolean } = {},
): AzuriteExpectation | undefined {
  const ctx = buildContext(req, state);
  const gate = options.skipApiVersionCheck === false ? versionGate(ctx) : undefined;
  const plan = steps(ctx);
  if (!gate && !plan) return undefined;
  const answer = gate ?? firstOf(plan!) ?? { status: successStatus(ctx.operation) };
  const same =
    answer.status === azureExpected.status &&
    (answer.errorCode ?? undefined) === (azureExpected.errorCode ?? undefined);
  if (same) return undefined;
  return {
    status: answer.status,
    ...(answer.errorCode ? { errorCode: answer.errorCode } : {}),
    differenceId: classify(ctx, answer, azureExpected),
  };
}
