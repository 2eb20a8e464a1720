/**
 * A preflight job (docs/formats.md) as the request it stands for: the operation becomes a method + `comp` the way the
 * REST API spells it, and the job's conditions become the headers the SDK would send. Pure.
 */
import { quoteEtag } from './etag.js';
import { formatHttpDate } from './http-date.js';
import type { CapturedRequest, HeaderMap } from './types.js';
import { ownValue } from './own-value.js';

interface OperationShape {
  method: 'GET' | 'HEAD' | 'PUT' | 'DELETE';
  comp?: string;
  headers?: HeaderMap;
}

/** Blob operations a job may name, as Storage Analytics / StorageBlobLogs name them (`OperationName`). */
const OPERATIONS: Record<string, OperationShape> = {
  PutBlob: { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' } },
  PutBlockList: { method: 'PUT', comp: 'blocklist' },
  SetBlobMetadata: { method: 'PUT', comp: 'metadata' },
  SetBlobProperties: { method: 'PUT', comp: 'properties' },
  SetBlobTags: { method: 'PUT', comp: 'tags' },
  SetBlobTier: { method: 'PUT', comp: 'tier' },
  SnapshotBlob: { method: 'PUT', comp: 'snapshot' },
  AppendBlock: { method: 'PUT', comp: 'appendblock' },
  PutPage: { method: 'PUT', comp: 'page', headers: { 'x-ms-page-write': 'update' } },
  DeleteBlob: { method: 'DELETE' },
  GetBlob: { method: 'GET' },
  GetBlobProperties: { method: 'HEAD' },
  GetBlobMetadata: { method: 'GET', comp: 'metadata' },
  GetBlobTags: { method: 'GET', comp: 'tags' },
  AcquireBlobLease: { method: 'PUT', comp: 'lease', headers: { 'x-ms-lease-action': 'acquire' } },
  RenewBlobLease: { method: 'PUT', comp: 'lease', headers: { 'x-ms-lease-action': 'renew' } },
  ReleaseBlobLease: { method: 'PUT', comp: 'lease', headers: { 'x-ms-lease-action': 'release' } },
  BreakBlobLease: { method: 'PUT', comp: 'lease', headers: { 'x-ms-lease-action': 'break' } },
};

/** Plain words people write in a jobs file. */
const ALIASES: Record<string, string> = { write: 'PutBlob', upload: 'PutBlob', read: 'GetBlob', delete: 'DeleteBlob' };

export const JOB_OPERATIONS = Object.keys(OPERATIONS);

/** The canonical operation name for what a job wrote (case-insensitive), or undefined when unknown. */
export function resolveOperation(input: string | undefined): string | undefined {
  if (input === undefined) return 'PutBlob';
  const lower = input.trim().toLowerCase();
  return ownValue(ALIASES, lower) ?? JOB_OPERATIONS.find((name) => name.toLowerCase() === lower);
}

export interface JobConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
  leaseId?: string;
  ifTags?: string;
}

/** Dates may be written as ISO 8601 or RFC 1123; the header carries RFC 1123 as the SDK sends it. */
function httpDate(value: string): string {
  const parsed = Date.parse(value);
  return /^\d{4}-\d{2}-\d{2}/.test(value.trim()) && !Number.isNaN(parsed) ? formatHttpDate(new Date(parsed)) : value;
}

/** ETags may be written with or without their quotes; lists and `*` pass through. */
function etagHeader(value: string): string {
  if (value.includes(',')) return value;
  return quoteEtag(value);
}

function conditionHeaders(c: JobConditions): HeaderMap {
  const headers: HeaderMap = {};
  if (c.ifMatch !== undefined) headers['if-match'] = etagHeader(c.ifMatch);
  if (c.ifNoneMatch !== undefined) headers['if-none-match'] = etagHeader(c.ifNoneMatch);
  if (c.ifModifiedSince !== undefined) headers['if-modified-since'] = httpDate(c.ifModifiedSince);
  if (c.ifUnmodifiedSince !== undefined) headers['if-unmodified-since'] = httpDate(c.ifUnmodifiedSince);
  if (c.leaseId !== undefined) headers['x-ms-lease-id'] = c.leaseId;
  if (c.ifTags !== undefined) headers['x-ms-if-tags'] = c.ifTags;
  return headers;
}

/** The request a job stands for, addressed to `blobUrl` (absolute, no SAS). `operation` is canonical. */
export function jobRequest(operation: string, conditions: JobConditions, blobUrl: string): CapturedRequest {
  const shape = ownValue(OPERATIONS, operation) ?? OPERATIONS.PutBlob!;
  const url = shape.comp ? `${blobUrl}?comp=${shape.comp}` : blobUrl;
  return { method: shape.method, url, headers: { ...(shape.headers ?? {}), ...conditionHeaders(conditions) } };
}
