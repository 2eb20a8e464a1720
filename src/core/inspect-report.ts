/** The inspect report: one blob's or container's state as a person and a script read it. Pure. */
import { describeLease } from './lease-reading.js';
import type { BlobReading, LeaseInfo } from './types.js';
import { VERSION } from './version.js';

interface BlobIdentity {
  url: string;
  container: string;
  name?: string;
}

/** `lease {state, status, duration}`: duration is null unless the blob is leased. */
interface ReportLease {
  state: LeaseInfo['state'];
  status: LeaseInfo['status'];
  duration: NonNullable<LeaseInfo['duration']> | null;
}

function reportLease(lease: LeaseInfo | undefined): ReportLease | null {
  return lease ? { state: lease.state, status: lease.status, duration: lease.duration ?? null } : null;
}

export interface InspectReport {
  command: 'inspect';
  version: string;
  target: 'blob' | 'container';
  blob: BlobIdentity;
  exists: boolean;
  /** Set when the blob is missing because its container is (ContainerNotFound). */
  containerExists?: boolean;
  /** null when the blob does not exist (the JSON report's keys are always present). */
  etag?: string | null;
  lastModified?: string | null;
  lease?: ReportLease | null;
  leaseReading?: string;
  contentLength?: number;
  contentType?: string;
  blobType?: string;
  metadata?: Record<string, string>;
  tags?: Record<string, string> | null;
  versionId?: string | null;
  isCurrentVersion?: boolean | null;
  /** The snapshot time, when the reference named a snapshot (`?snapshot=`). */
  snapshot?: string;
  sequenceNumber?: number;
  committedBlockCount?: number;
  accessTier?: string;
  copyStatus?: string;
  createdOn?: string;
  publicAccess?: string;
  serverDate?: string;
  requestId?: string;
  credential: string;
  notes: string[];
}

/** The inspect report of a state read; replay and diagnose embed it. */
export function buildInspectReport(
  reading: BlobReading,
  blob: InspectReport['blob'],
  target: 'blob' | 'container',
  credential: string,
): InspectReport {
  const { state, details, notes } = reading;
  const base = { command: 'inspect' as const, version: VERSION, target, blob, exists: state.exists, credential };
  if (!state.exists) {
    const containerMissing = details.notFoundCode === 'ContainerNotFound';
    return {
      ...base,
      ...(target === 'blob' ? { containerExists: !containerMissing } : {}),
      etag: null,
      lastModified: null,
      lease: null,
      requestId: details.requestId,
      notes: [
        `${details.notFoundCode ?? 'not found'}: the ${containerMissing && target === 'blob' ? 'container' : target} does not exist` +
          (target === 'blob'
            ? '; a write with If-Match here fails 412, a read 404 (Azure), and If-None-Match: * would succeed'
            : ''),
      ],
    };
  }
  return {
    ...base,
    etag: state.etag,
    lastModified: state.lastModified,
    lease: reportLease(state.lease),
    leaseReading: describeLease(state.lease, target),
    ...(target === 'blob'
      ? {
          contentLength: state.contentLength,
          contentType: state.contentType,
          blobType: state.blobType,
          tags: state.tags ?? null,
          versionId: state.versionId ?? null,
          isCurrentVersion: state.isCurrentVersion ?? null,
          ...(state.snapshot ? { snapshot: state.snapshot } : {}),
          sequenceNumber: state.blobType === 'PageBlob' ? state.sequenceNumber : undefined,
          committedBlockCount: details.committedBlockCount,
          accessTier: details.accessTier,
          copyStatus: details.copyStatus,
          createdOn: details.createdOn,
        }
      : { publicAccess: details.publicAccess }),
    metadata: state.metadata,
    serverDate: details.serverDate,
    requestId: details.requestId,
    notes,
  };
}
