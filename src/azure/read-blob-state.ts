/**
 * Reads what a diagnosis starts from: properties and (when readable) tags, concurrently.
 * Read-only: HEAD Get Blob Properties and GET Get Blob Tags, nothing else.
 */
import type { BlobClient, BlobGetPropertiesResponse, BlobGetTagsResponse, ContainerClient } from '@azure/storage-blob';
import type { BlobDetails, BlobReading, BlobState, LeaseInfo } from '../core/types.js';

export type { BlobReading } from '../core/types.js';
import { azureFacts } from './rest-error.js';
import { toCnmError } from './to-cnm-error.js';

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);

function leaseFrom(p: { leaseState?: string; leaseStatus?: string; leaseDuration?: string }): LeaseInfo {
  return {
    state: (p.leaseState ?? 'available') as LeaseInfo['state'],
    status: (p.leaseStatus ?? 'unlocked') as LeaseInfo['status'],
    ...(p.leaseDuration ? { duration: p.leaseDuration as LeaseInfo['duration'] } : {}),
  };
}

function stateFrom(p: BlobGetPropertiesResponse): BlobState {
  return {
    kind: 'blob',
    exists: true,
    etag: p.etag,
    lastModified: iso(p.lastModified),
    lease: leaseFrom(p),
    blobType: p.blobType,
    contentLength: p.contentLength,
    contentType: p.contentType,
    metadata: p.metadata ?? {},
    versionId: p.versionId,
    isCurrentVersion: p.isCurrentVersion,
    sequenceNumber: p.blobSequenceNumber,
  };
}

function detailsFrom(p: BlobGetPropertiesResponse): BlobDetails {
  return {
    createdOn: iso(p.createdOn),
    accessTier: p.accessTier,
    committedBlockCount: p.blobCommittedBlockCount,
    copyStatus: p.copyStatus,
    tagCount: p.tagCount,
    serverDate: iso(p.date),
    requestId: p.requestId,
  };
}

/**
 * Why Get Blob Tags failed, in words that say what would fix it. Reading tags takes the Tags permission: a SAS
 * with `t`, or an RBAC role with …/blobs/tags/read such as Storage Blob Data Owner; Storage Blob Data Reader does
 * not have it (https://learn.microsoft.com/rest/api/storageservices/get-blob-tags#authorization).
 */
function tagsUnreadable(err: unknown, what: string): string {
  const f = azureFacts(err);
  if (f.status === 403) {
    return (
      `Get Blob Tags answered 403${f.errorCode ? ` ${f.errorCode}` : ''}: the credential lacks the Tags permission ` +
      '(a SAS needs `t`; a role needs …/blobs/tags/read, e.g. Storage Blob Data Owner — Storage Blob Data Reader ' +
      'does not have it)'
    );
  }
  if (f.status !== undefined) return `Get Blob Tags answered ${f.status}${f.errorCode ? ` ${f.errorCode}` : ''}`;
  return `Get Blob Tags failed: ${toCnmError(err, what).message}`;
}

/**
 * The blob's tags, each an own key. The SDK's `tags` is built by assignment on a plain object (`toTags` in
 * @azure/storage-blob's utils.common), so a tag named `__proto__` goes to the prototype setter and vanishes; the
 * parsed tag set keeps it, and `Object.fromEntries` defines keys rather than assigning them.
 */
export function tagsOf(response: BlobGetTagsResponse): Record<string, string> {
  return Object.fromEntries(response._response.parsedBody.blobTagSet.map((t) => [t.key, t.value]));
}

export interface ReadOptions {
  /** Read tags too; a 403 on tags is a note, not a failure. */
  tags?: boolean;
  signal?: AbortSignal;
}

export async function readBlobState(client: BlobClient, what: string, options: ReadOptions = {}): Promise<BlobReading> {
  const wantTags = options.tags ?? true;
  const [props, tags] = await Promise.allSettled([
    client.getProperties({ abortSignal: options.signal }),
    wantTags ? client.getTags({ abortSignal: options.signal }) : Promise.resolve(undefined),
  ]);
  if (props.status === 'rejected') {
    const facts = azureFacts(props.reason);
    if (facts.status === 404) {
      const notFoundCode = facts.errorCode ?? 'BlobNotFound';
      return {
        state: { kind: 'blob', exists: false, containerExists: notFoundCode !== 'ContainerNotFound' },
        details: { notFoundCode, requestId: facts.requestId },
        notes: [],
      };
    }
    throw toCnmError(props.reason, what);
  }
  const state = stateFrom(props.value);
  const notes: string[] = [];
  if (tags.status === 'fulfilled' && tags.value) state.tags = tagsOf(tags.value);
  else if (tags.status === 'rejected') {
    state.tagsUnreadable = tagsUnreadable(tags.reason, what);
    notes.push(`tags not readable: ${state.tagsUnreadable}`);
  }
  return { state, details: detailsFrom(props.value), notes };
}

export async function readContainerState(
  client: ContainerClient,
  what: string,
  signal?: AbortSignal,
): Promise<BlobReading> {
  try {
    const p = await client.getProperties({ abortSignal: signal });
    return {
      state: {
        kind: 'container',
        exists: true,
        etag: p.etag,
        lastModified: iso(p.lastModified),
        lease: leaseFrom(p),
        metadata: p.metadata ?? {},
      },
      details: {
        publicAccess: p.blobPublicAccess ?? 'none',
        hasImmutabilityPolicy: p.hasImmutabilityPolicy,
        hasLegalHold: p.hasLegalHold,
        serverDate: iso(p.date),
        requestId: p.requestId,
      },
      notes: [],
    };
  } catch (err) {
    const facts = azureFacts(err);
    if (facts.status === 404) {
      return {
        state: { kind: 'container', exists: false },
        details: { notFoundCode: facts.errorCode ?? 'ContainerNotFound' },
        notes: [],
      };
    }
    throw toCnmError(err, what);
  }
}

/**
 * Is `leaseId` the blob's active lease? Azure never reports lease ids, but a read carrying
 * x-ms-lease-id succeeds only when the lease is active and the id matches, else 412 (Lease Blob doc,
 * "Read using (B)"): a read-only probe that changes nothing.
 */
export async function probeLeaseId(
  client: BlobClient | ContainerClient,
  leaseId: string,
  signal?: AbortSignal,
): Promise<boolean | undefined> {
  try {
    // ContainerClient.getProperties drops conditions.leaseId (@azure/storage-blob 12.32 spreads it where the
    // operation spec reads options.leaseAccessConditions), so containers are probed with Get Container ACL, which
    // takes x-ms-lease-id the same way (learn.microsoft.com/rest/api/storageservices/get-container-acl).
    if ('getAccessPolicy' in client) await client.getAccessPolicy({ conditions: { leaseId }, abortSignal: signal });
    else await client.getProperties({ conditions: { leaseId }, abortSignal: signal });
    return true;
  } catch (err) {
    const facts = azureFacts(err);
    if (facts.status === 412) return false;
    if (facts.status === 404 || facts.status === 403) return undefined;
    throw toCnmError(err, 'lease id probe');
  }
}
