/**
 * The demo's story, played for real on the embedded Azurite: two workers update one manifest blob, one with
 * a cached ETag (the guide's example), and a worker whose lease is broken by another process between
 * acquire and write. Every failure is a real service answer; the workers' clients carry cnm's
 * captureFailedRequests policy, so each failure is also a capture file on disk. Each worker is its own client,
 * with its name in its user agent, as separate processes would be: that is how the logs tell them apart.
 */
import type { BlobServiceClient, BlockBlobClient } from '@azure/storage-blob';
import { azureFacts } from '../../azure/rest-error.js';

export interface Failure {
  title: string;
  status: number;
  errorCode?: string;
  requestId?: string;
}

function failureOf(err: unknown, title: string): Failure {
  const { status, errorCode, requestId } = azureFacts(err);
  if (!status) throw err;
  return { title, status, errorCode, requestId };
}

export interface Scene {
  lines: string[];
  failure: Failure;
}

async function expectFailure(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (err) {
    return err;
  }
  throw new Error('the demo expected this write to fail, and it succeeded');
}

/** The manifest blob as one worker's client sees it: `worker('worker-a')`. */
export type Worker = (name: string) => BlockBlobClient;

/** Each worker's client for the manifest, from a service client per worker. */
export function manifestOf(service: (name: string) => BlobServiceClient): Worker {
  return (name) => service(name).getContainerClient('releases').getBlockBlobClient('manifest.json');
}

export async function createManifest(service: BlobServiceClient): Promise<{ manifest: BlockBlobClient; line: string }> {
  const container = service.getContainerClient('releases');
  await container.createIfNotExists();
  const manifest = container.getBlockBlobClient('manifest.json');
  const v1 = await manifest.upload('{"version":1,"files":[]}', 24);
  return { manifest, line: `manifest.json written, ETag ${v1.etag}` };
}

/** Two queue consumers update the same manifest; one reuses the ETag it cached before the other wrote. */
export async function staleWriters(worker: Worker): Promise<Scene> {
  const seenByA = (await worker('worker-a').getProperties()).etag!;
  const seenByB = (await worker('worker-b').getProperties()).etag!;
  const lines = [`worker-a and worker-b both read manifest.json and cache ETag ${seenByA}`];
  const a = await worker('worker-a').upload('{"version":2,"files":["a.bin"]}', 31, {
    conditions: { ifMatch: seenByA },
  });
  lines.push(`worker-a writes with If-Match ${seenByA} → 201, new ETag ${a.etag}`);
  const err = await expectFailure(
    worker('worker-b').upload('{"version":2,"files":["b.bin"]}', 31, { conditions: { ifMatch: seenByB } }),
  );
  const failure = failureOf(err, 'worker-b wrote with a cached ETag');
  lines.push(`worker-b writes with its cached If-Match ${seenByB} → ${failure.status} ${failure.errorCode}`);
  return { lines, failure };
}

/** A worker's lease is broken by another process between acquire and write (a real expiry takes ≥ 15 s). */
export async function brokenLease(worker: Worker): Promise<Scene> {
  const lease = worker('worker-c').getBlobLeaseClient();
  await lease.acquireLease(30);
  const lines = [`worker-c acquires a 30 s lease ${lease.leaseId}`];
  await worker('ops-script').getBlobLeaseClient().breakLease(0);
  lines.push('ops-script breaks the lease (break period 0) while worker-c is still working');
  const err = await expectFailure(
    worker('worker-c').upload('{"version":3,"files":["c.bin"]}', 31, { conditions: { leaseId: lease.leaseId } }),
  );
  const failure = failureOf(err, 'worker-c wrote with a lease that was broken');
  lines.push(`worker-c writes with its lease id → ${failure.status} ${failure.errorCode}`);
  return { lines, failure };
}

/** worker-d holds an infinite lease; worker-a, unaware, writes with a fresh ETag but no lease id. */
export async function heldLease(worker: Worker): Promise<Scene & { release: () => Promise<unknown> }> {
  const held = worker('worker-d').getBlobLeaseClient();
  await held.acquireLease(-1);
  const lines = [`worker-d acquires an infinite lease ${held.leaseId} and holds it`];
  const current = (await worker('worker-a').getProperties()).etag!;
  const err = await expectFailure(worker('worker-a').upload('{"version":3}', 13, { conditions: { ifMatch: current } }));
  const failure = failureOf(err, 'worker-a wrote without the lease id');
  lines.push(`worker-a writes with the fresh ETag ${current} but no lease id → ${failure.status} ${failure.errorCode}`);
  return { lines, failure, release: () => held.releaseLease() };
}
