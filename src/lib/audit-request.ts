/**
 * What the audit needs to know about one request to a blob: is it a read, a write or a lease action, which
 * conditions and lease id it carries. Operations and their headers: Microsoft Learn, "Blob service REST API"
 * (Get Blob, Put Blob, Set Blob Metadata, Put Block List, Append Block, Lease Blob, …) and "Specifying conditional
 * headers for Blob service operations".
 */
import type { HeaderMap } from '../core/types.js';

type AuditedKind = 'read' | 'write' | 'lease';

interface AuditedConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
  ifTags?: string;
}

export interface AuditedRequest {
  /** The blob's URL without its query (no SAS), decoded: the same blob however a client spells it. */
  blob: string;
  kind: AuditedKind;
  method: string;
  conditions: AuditedConditions;
  leaseId?: string;
  /** Lease Blob: `acquire`, `renew`, `change`, `release` or `break`. */
  leaseAction?: string;
  /** Acquire: seconds, -1 for infinite. */
  leaseDuration?: number;
}

/** Reads whose answer shows the blob's ETag (Get Blob, Get Blob Properties, Get Blob Metadata, Get Block List, Get Page Ranges). */
const READ_COMPS = new Set(['', 'metadata', 'blocklist', 'pagelist']);
/**
 * Writes that change the blob, and so its ETag. Put Block stages data without changing the blob; Set Blob Tags,
 * Set Blob Tier and Snapshot Blob leave its ETag as it is: none of them is audited as a write.
 */
const WRITE_COMPS = new Set(['', 'metadata', 'properties', 'blocklist', 'appendblock', 'page', 'seal']);

function blobKey(url: URL): string {
  try {
    return `${url.origin}${decodeURIComponent(url.pathname)}`;
  } catch {
    return `${url.origin}${url.pathname}`;
  }
}

/** undefined for what the audit does not follow: container and service operations, snapshots, versions, tags. */
export function classifyRequest(method: string, rawUrl: string, headers: HeaderMap): AuditedRequest | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return undefined;
  }
  const q = url.searchParams;
  if (q.has('restype') || q.has('snapshot') || q.has('versionid')) return undefined;
  const comp = q.get('comp') ?? '';
  const m = method.toUpperCase();
  let kind: AuditedKind | undefined;
  if (comp === 'lease' && m === 'PUT') kind = 'lease';
  else if ((m === 'GET' || m === 'HEAD') && READ_COMPS.has(comp)) kind = 'read';
  else if (m === 'PUT' && WRITE_COMPS.has(comp)) kind = 'write';
  else if (m === 'DELETE' && comp === '') kind = 'write';
  if (!kind) return undefined;
  const duration = headers['x-ms-lease-duration'];
  return {
    blob: blobKey(url),
    kind,
    method: m,
    conditions: {
      ifMatch: headers['if-match'],
      ifNoneMatch: headers['if-none-match'],
      ifModifiedSince: headers['if-modified-since'],
      ifUnmodifiedSince: headers['if-unmodified-since'],
      ifTags: headers['x-ms-if-tags'],
    },
    leaseId: headers['x-ms-lease-id'],
    leaseAction: headers['x-ms-lease-action']?.toLowerCase(),
    leaseDuration: duration === undefined ? undefined : Number(duration),
  };
}
