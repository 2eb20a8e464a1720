/**
 * One read of a blob serves every preflight job on it: Get Blob Properties always, Get Blob Tags only when a job
 * has an x-ms-if-tags condition, and a lease-id probe per distinct id only when the lease is active (Azure never
 * reports lease ids; the probe is a read, see probeLeaseId).
 */
import type { BlobClient } from '@azure/storage-blob';
import type { BlobNeeds } from '../core/check-jobs.js';
import { probeLeaseId, readBlobState, type BlobReading } from './read-blob-state.js';

const ACTIVE = new Set(['leased', 'breaking']);

export async function readStateForJobs(client: BlobClient, what: string, needs: BlobNeeds): Promise<BlobReading> {
  const reading = await readBlobState(client, what, { tags: needs.tags });
  const lease = reading.state.lease;
  if (!lease || !ACTIVE.has(lease.state) || needs.leaseIds.length === 0) return reading;
  const answers = await Promise.all(needs.leaseIds.map(async (id) => [id, await probeLeaseId(client, id)] as const));
  const notIds: string[] = [];
  for (const [id, matches] of answers) {
    if (matches === true) lease.id = id;
    if (matches === false) notIds.push(id);
  }
  if (notIds.length) lease.notIds = notIds;
  return reading;
}
