/** `cnm inspect <blob>`: the current state a diagnosis starts from. Read-only. */
import type { Context } from '../cli/context.js';
import { describeLease } from '../core/lease-reading.js';
import { reportLease, type InspectReport } from '../core/reports.js';
import { openTarget, parseRefOrThrow } from '../azure/open-target.js';
import { readBlobState, readContainerState, type BlobReading } from '../azure/read-blob-state.js';
import { VERSION } from '../version.js';

export interface InspectOptions {
  container?: boolean;
}

export async function inspect(reference: string, options: InspectOptions, ctx: Context): Promise<InspectReport> {
  const target = options.container ?? false;
  const ref = parseRefOrThrow(reference, target);
  const t = await openTarget(ref, ctx);
  const reading = target
    ? await readContainerState(t.service.getContainerClient(ref.container), t.what)
    : await readBlobState(t.service.getContainerClient(ref.container).getBlobClient(ref.name!), t.what);
  if (!target && reading.state.exists && !reading.state.versionId) {
    reading.notes.push('no version id: versioning is off for this account (or the emulator does not emulate it, docs/azurite-differences.md AZ-16)');
  }
  return toReport(reading, { url: t.url, container: ref.container, name: ref.name }, target ? 'container' : 'blob', t.plan.from);
}

export function toReport(
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
          (target === 'blob' ? '; a write with If-Match here fails 412, a read 404 (Azure), and If-None-Match: * would succeed' : ''),
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
