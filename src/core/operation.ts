/**
 * Which REST operation a captured request is, named as Storage Analytics / StorageBlobLogs name it
 * (`OperationName`), so the report reads like the service's own logs. Pure.
 */
import { isPathStyle } from './blob-ref.js';
import type { CapturedRequest } from './types.js';
import { ownValue } from './own-value.js';

type OperationKind = 'read' | 'write' | 'lease';

export interface OperationInfo {
  name: string;
  target: 'blob' | 'container';
  kind: OperationKind;
  /** The operation creates (or replaces) the blob/container: `If-None-Match: *` means "only if new" (409 otherwise). */
  creates: boolean;
}

const LEASE_ACTIONS: Record<string, string> = {
  acquire: 'Acquire',
  renew: 'Renew',
  change: 'Change',
  release: 'Release',
  break: 'Break',
};

const CREATES = new Set([
  'PutBlob',
  'PutBlockList',
  'CopyBlob',
  'CopyBlobFromURL',
  'PutBlobFromURL',
  'CreateContainer',
]);

interface Parts {
  method: string;
  comp: string;
  restype: string;
  hasBlobName: boolean;
  header: (name: string) => string | undefined;
}

function splitUrl(url: string): { query: URLSearchParams; segments: string[] } {
  let parsed: URL;
  try {
    // Emulator logs often record only the path: treat it as path-style.
    parsed = url.startsWith('/') ? new URL(url, 'http://127.0.0.1:10000') : new URL(url);
  } catch {
    return { query: new URLSearchParams(), segments: [] };
  }
  const segments = parsed.pathname
    .split('/')
    .slice(1)
    .filter((s, i, all) => s !== '' || i < all.length - 1);
  if (isPathStyle(parsed)) segments.shift(); // the account
  return { query: parsed.searchParams, segments };
}

function leaseName(parts: Parts, target: 'Blob' | 'Container'): string {
  const action = ownValue(LEASE_ACTIONS, (parts.header('x-ms-lease-action') ?? '').toLowerCase());
  return action ? `${action}${target}Lease` : `Lease${target}`;
}

function containerName(p: Parts): string {
  if (p.comp === 'lease') return leaseName(p, 'Container');
  const byComp: Record<string, [string, string]> = {
    '': ['GetContainerProperties', 'CreateContainer'],
    metadata: ['GetContainerMetadata', 'SetContainerMetadata'],
    acl: ['GetContainerACL', 'SetContainerACL'],
    list: ['ListBlobs', 'Unknown'],
  };
  if (p.method === 'DELETE') return p.comp === '' ? 'DeleteContainer' : 'Unknown';
  const pair = ownValue(byComp, p.comp);
  if (!pair) return 'Unknown';
  return p.method === 'PUT' ? pair[1] : p.method === 'GET' || p.method === 'HEAD' ? pair[0] : 'Unknown';
}

function blobReadName(p: Parts): string {
  const byComp: Record<string, string> = {
    '': p.method === 'HEAD' ? 'GetBlobProperties' : 'GetBlob',
    metadata: 'GetBlobMetadata',
    tags: 'GetBlobTags',
    blocklist: 'GetBlockList',
    pagelist: 'GetPageRegions',
  };
  return ownValue(byComp, p.comp) ?? 'Unknown';
}

function blobPutName(p: Parts): string {
  const copySource = p.header('x-ms-copy-source') !== undefined;
  switch (p.comp) {
    case '':
      if (!copySource) return 'PutBlob';
      if ((p.header('x-ms-requires-sync') ?? '').toLowerCase() === 'true') return 'CopyBlobFromURL';
      return p.header('x-ms-blob-type') !== undefined ? 'PutBlobFromURL' : 'CopyBlob';
    case 'block':
      return copySource ? 'PutBlockFromURL' : 'PutBlock';
    case 'page':
      return (p.header('x-ms-page-write') ?? '').toLowerCase() === 'clear'
        ? 'ClearPage'
        : copySource
          ? 'PutPageFromURL'
          : 'PutPage';
    case 'appendblock':
      return copySource ? 'AppendBlockFromURL' : 'AppendBlock';
    case 'lease':
      return leaseName(p, 'Blob');
    default: {
      const byComp: Record<string, string> = {
        blocklist: 'PutBlockList',
        metadata: 'SetBlobMetadata',
        properties: 'SetBlobProperties',
        tags: 'SetBlobTags',
        snapshot: 'SnapshotBlob',
        tier: 'SetBlobTier',
        copy: 'AbortCopyBlob',
        seal: 'SealBlob',
        // The REST spec's other blob PUTs (Azure/azure-rest-api-specs blob-storage 2021-10-04: Blob_Undelete,
        // Blob_SetExpiry, Blob_SetImmutabilityPolicy, Blob_SetLegalHold, PageBlob_CopyIncremental).
        undelete: 'UndeleteBlob',
        expiry: 'SetBlobExpiry',
        immutabilitypolicies: 'SetImmutabilityPolicy',
        legalhold: 'SetLegalHold',
        incrementalcopy: 'IncrementalCopyBlob',
      };
      return ownValue(byComp, p.comp) ?? 'Unknown';
    }
  }
}

function blobName(p: Parts): string {
  if (p.method === 'GET' || p.method === 'HEAD') return blobReadName(p);
  if (p.method === 'PUT') return blobPutName(p);
  // Query Blob Contents (learn.microsoft.com/rest/api/storageservices/query-blob-contents): a POST that reads.
  if (p.method === 'POST' && p.comp === 'query') return 'QueryBlobContents';
  if (p.method === 'DELETE')
    return p.comp === '' ? 'DeleteBlob' : p.comp === 'immutabilitypolicies' ? 'DeleteImmutabilityPolicy' : 'Unknown';
  return 'Unknown';
}

function kindOf(name: string, method: string): OperationKind {
  if (/Lease$|^Lease(Blob|Container)$/.test(name)) return 'lease';
  return method === 'GET' || method === 'HEAD' || name === 'QueryBlobContents' ? 'read' : 'write';
}

export function classifyOperation(req: CapturedRequest): OperationInfo {
  const { query, segments } = splitUrl(req.url);
  const headers = new Map(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const parts: Parts = {
    method: req.method.toUpperCase(),
    comp: (query.get('comp') ?? '').toLowerCase(),
    restype: (query.get('restype') ?? '').toLowerCase(),
    hasBlobName: segments.length > 1,
    header: (name) => headers.get(name),
  };
  const target = parts.restype === 'container' || !parts.hasBlobName ? 'container' : 'blob';
  // Blob Batch: on the account (`/?comp=batch`) or a container (`?restype=container&comp=batch`).
  if (parts.method === 'POST' && parts.comp === 'batch')
    return { name: 'SubmitBatch', target: 'container', kind: 'write', creates: false };
  const name = target === 'container' ? containerName(parts) : blobName(parts);
  return { name, target, kind: kindOf(name, parts.method), creates: CREATES.has(name) };
}

const CREATED_201 = new Set([
  'PutBlob',
  'PutBlockList',
  'PutBlock',
  'PutBlockFromURL',
  'PutPage',
  'PutPageFromURL',
  'ClearPage',
  'AppendBlock',
  'AppendBlockFromURL',
  'SnapshotBlob',
  'CreateContainer',
  'AcquireBlobLease',
  'AcquireContainerLease',
  'PutBlobFromURL',
]);
const ACCEPTED_202 = new Set([
  'SubmitBatch',
  'DeleteBlob',
  'CopyBlob',
  'CopyBlobFromURL',
  'IncrementalCopyBlob',
  'BreakBlobLease',
  'BreakContainerLease',
  'DeleteContainer',
]);

// The REST spec's success responses (blob-storage 2021-10-04): Blob_AbortCopyFromURL 204,
// PageBlob_CopyIncremental 202.
const NO_CONTENT_204 = new Set(['SetBlobTags', 'AbortCopyBlob']);

/** The status Azure answers when the operation succeeds (per-operation REST pages). */
export function successStatus(operation: OperationInfo): number {
  if (NO_CONTENT_204.has(operation.name)) return 204;
  if (CREATED_201.has(operation.name)) return 201;
  if (ACCEPTED_202.has(operation.name)) return 202;
  return 200;
}
