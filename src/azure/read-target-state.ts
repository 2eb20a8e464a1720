/**
 * The live state a captured request's conditions need, read-only: blob or container properties, tags only
 * when a tag condition is present, the copy source when source conditions are, and a lease-id probe when the
 * request carries an id and the lease is active (Azure never reports lease ids).
 */
import type { BlobClient, ContainerClient } from '@azure/storage-blob';
import { parseBlobRef } from '../core/blob-ref.js';
import type { OperationInfo } from '../core/operation.js';
import type { BlobState, CapturedRequest } from '../core/types.js';
import { probeLeaseId, readBlobState, readContainerState, type BlobReading } from './read-blob-state.js';
import { blobClientOf, type Target } from './open-target.js';
import { azureFacts } from './rest-error.js';

const header = (req: CapturedRequest, name: string) => req.headers[name];

async function readSource(
  t: Target,
  copySource: string,
  withTags: boolean,
): Promise<{ state?: BlobState; note?: string }> {
  const parsed = parseBlobRef(copySource);
  if (!parsed.ok) return { note: `x-ms-copy-source: ${parsed.message}; source conditions cannot be judged` };
  const src = parsed.value;
  // Same account: the user's credentials reach it. Another account: only a SAS in the source URL does.
  const sameAccount = src.accountUrl === t.plan.endpoint;
  const client = sameAccount
    ? t.service.getContainerClient(src.container).getBlobClient(src.name!)
    : src.sas?.includes('sig=')
      ? t.foreignBlob(copySource)
      : undefined;
  if (!client)
    return { note: 'the copy source is in another account and its URL has no SAS: source conditions cannot be judged' };
  try {
    const reading = await readBlobState(client, 'copy source', { tags: withTags });
    return { state: reading.state };
  } catch (err) {
    const f = azureFacts(err);
    return {
      note: `copy source not readable (${f.status ?? 'error'}${f.errorCode ? ` ${f.errorCode}` : ''}): source conditions cannot be judged`,
    };
  }
}

/**
 * The ids a request names that the lease state decides on: x-ms-lease-id, and for Lease Blob/Container acquire and
 * change x-ms-proposed-lease-id (the outcome tables compare both with the lease's id).
 */
function idsToProbe(req: CapturedRequest, op: OperationInfo): string[] {
  const ids = [header(req, 'x-ms-lease-id')];
  if (op.kind === 'lease') ids.push(header(req, 'x-ms-proposed-lease-id'));
  return [...new Set(ids.filter((id): id is string => !!id && id.trim() !== ''))];
}

/** Azure never reports a lease id: a read-only Get Properties carrying an id answers 412 unless it is the active lease's. */
async function probeIds(client: BlobClient | ContainerClient, ids: string[], reading: BlobReading): Promise<void> {
  const lease = reading.state.lease;
  if (ids.length === 0 || !lease || (lease.state !== 'leased' && lease.state !== 'breaking')) return;
  for (const id of ids) {
    const matches = await probeLeaseId(client, id);
    if (matches === true) lease.id = id;
    if (matches === false) lease.notIds = [...(lease.notIds ?? []), id];
    reading.notes.push(
      `lease id ${ids.length > 1 ? `${id} ` : ''}checked with a read-only Get Properties carrying it: ` +
        `${matches ? 'it is the active lease' : matches === false ? 'it is NOT the active lease' : 'inconclusive'}`,
    );
  }
}

export async function readTargetState(t: Target, req: CapturedRequest, op: OperationInfo): Promise<BlobReading> {
  if (op.target === 'container' || !t.ref.name) {
    const container = t.service.getContainerClient(t.ref.container);
    const reading = await readContainerState(container, t.what);
    await probeIds(container, idsToProbe(req, op), reading);
    return reading;
  }
  const blob = blobClientOf(t.service, t.ref);
  const copySource = header(req, 'x-ms-copy-source');
  const wantsSource = copySource !== undefined && Object.keys(req.headers).some((h) => h.startsWith('x-ms-source-if-'));
  const [reading, source] = await Promise.all([
    readBlobState(blob, t.what, { tags: header(req, 'x-ms-if-tags') !== undefined }),
    wantsSource
      ? readSource(t, copySource, header(req, 'x-ms-source-if-tags') !== undefined)
      : Promise.resolve(undefined),
  ]);
  if (t.ref.snapshot && reading.state.exists) reading.state.snapshot = t.ref.snapshot;
  if (t.ref.snapshot || t.ref.versionId)
    reading.notes.push(
      `judged against ${t.ref.snapshot ? `snapshot ${t.ref.snapshot}` : `version ${t.ref.versionId}`}, not the base blob`,
    );
  if (source?.state) reading.state.source = source.state;
  if (source?.note) reading.notes.push(source.note);
  await probeIds(blob, idsToProbe(req, op), reading);
  return reading;
}
