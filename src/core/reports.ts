/** Report shapes (SPEC §6). Commands return these; renderers only read them; getExitCode judges them. */
import type { BlobState, LeaseInfo } from './types.js';

export interface BlobIdentity {
  url: string;
  container: string;
  name?: string;
}

/** SPEC §6 `lease {state, status, duration}`: duration is null unless the blob is leased. */
export interface ReportLease {
  state: LeaseInfo['state'];
  status: LeaseInfo['status'];
  duration: NonNullable<LeaseInfo['duration']> | null;
}

export function reportLease(lease: LeaseInfo | undefined): ReportLease | null {
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
  /** null when the blob does not exist (SPEC §6 keys are always present). */
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

export function stateOfReport(report: InspectReport): BlobState {
  return {
    kind: report.target,
    exists: report.exists,
    etag: report.etag ?? undefined,
    lastModified: report.lastModified ?? undefined,
    lease: report.lease ? { state: report.lease.state, status: report.lease.status, duration: report.lease.duration ?? undefined } : undefined,
    blobType: report.blobType as BlobState['blobType'],
    contentLength: report.contentLength,
    metadata: report.metadata,
    tags: report.tags ?? undefined,
    sequenceNumber: report.sequenceNumber,
  };
}

/** Every report names its command and cnm's version (SPEC §6); the rest is per command. */
export interface Report {
  command: string;
  version: string;
}
