/**
 * The likely cause of a recorded failure when no blob state is available: from the status, the
 * x-ms-error-code (the only reliable code field: HEAD and 304 responses have no body to carry one) and the
 * request's headers.
 */
import { causeReport, type CauseCode, type CauseReport } from './causes.js';
import { parseEtagList } from './etag.js';
import { classifyOperation } from './operation.js';
import type { CapturedRequest } from './types.js';
import { ownValue } from './own-value.js';

const BY_ERROR_CODE: Record<string, CauseCode> = {
  LeaseIdMissing: 'lease-id-missing',
  LeaseIdMismatchWithBlobOperation: 'lease-id-mismatch',
  LeaseIdMismatchWithContainerOperation: 'lease-id-mismatch',
  InfiniteLeaseDurationRequired: 'lease-id-mismatch',
  LeaseNotPresentWithBlobOperation: 'lease-not-present',
  LeaseNotPresentWithContainerOperation: 'lease-not-present',
  LeaseLost: 'lease-not-present',
  BlobAlreadyExists: 'create-only-on-existing',
  AppendPositionConditionNotMet: 'append-position',
  MaxBlobSizeConditionNotMet: 'max-size',
  SequenceNumberConditionNotMet: 'sequence-number',
  SourceConditionNotMet: 'source-condition',
  TargetConditionNotMet: 'target-condition',
  LeaseAlreadyPresent: 'lease-state-conflict',
  LeaseIsBreakingAndCannotBeAcquired: 'lease-state-conflict',
  LeaseIdMismatchWithLeaseOperation: 'lease-state-conflict',
  LeaseIsBrokenAndCannotBeRenewed: 'lease-state-conflict',
  LeaseIsBreakingAndCannotBeChanged: 'lease-state-conflict',
  LeaseNotPresentWithLeaseOperation: 'lease-state-conflict',
  LeaseAlreadyBroken: 'lease-state-conflict',
  MultipleConditionHeadersNotSupported: 'multiple-conditions',
  BlobNotFound: 'blob-not-found',
  ContainerNotFound: 'blob-not-found',
  // Azurite-only: If-None-Match: * on a read (docs/azurite-differences.md AZ-6).
  UnsatisfiableCondition: 'create-only-on-existing',
};

function lower(req: CapturedRequest): Record<string, string> {
  return Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * A ranged Get Blob: the only request the SDK adds If-Match to by itself (BlobClient.download resumes with the
 * first response's ETag, Azure/azure-sdk-for-js sdk/storage/storage-blob/src/Clients.ts). Get Page Ranges and Get
 * Block List carry x-ms-range too, but their If-Match is always the caller's.
 */
export function isRangedRead(req: CapturedRequest): boolean {
  const h = lower(req);
  return classifyOperation(req).name === 'GetBlob' && (h['range'] !== undefined || h['x-ms-range'] !== undefined);
}

/** Which condition header most likely produced a ConditionNotMet, in Azure's evaluation order. */
function fromConditionNotMet(status: number, req: CapturedRequest): CauseCode | undefined {
  const h = lower(req);
  if (status === 304) {
    if (h['if-none-match'] !== undefined) return 'if-none-match-current';
    return h['if-modified-since'] !== undefined ? 'not-modified-since' : undefined;
  }
  if (h['if-match'] !== undefined) return isRangedRead(req) ? 'sdk-injected-if-match' : 'stale-etag';
  if (h['if-unmodified-since'] !== undefined) return 'modified-since';
  const inm = h['if-none-match'];
  if (inm !== undefined)
    return parseEtagList(inm).some((t) => t.wildcard) ? 'create-only-on-existing' : 'if-none-match-current';
  if (h['if-modified-since'] !== undefined) return 'not-modified-since';
  if (h['x-ms-if-tags'] !== undefined) return 'tags-condition';
  if (Object.keys(h).some((k) => k.startsWith('x-ms-source-if-'))) return 'source-condition';
  if (Object.keys(h).some((k) => k.startsWith('x-ms-blob-if-'))) return 'stale-etag';
  return undefined;
}

/** The cause a recorded status + error code points to, judged from the request alone. */
export function causeFromResponse(
  status: number,
  errorCode: string | undefined,
  req: CapturedRequest,
): CauseReport | undefined {
  const code = errorCode ? ownValue(BY_ERROR_CODE, errorCode) : undefined;
  const cause =
    code ??
    (errorCode === 'ConditionNotMet' || status === 412 || status === 304
      ? fromConditionNotMet(status, req)
      : undefined);
  if (!cause) return undefined;
  return causeReport(cause, errorCode ? { errorCode } : {});
}
