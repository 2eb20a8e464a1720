/**
 * The single-writer guard on the demo's manifest: workers take turns under withBlobLease (none breaks another's
 * lease, nothing is lost), and a worker whose lease an ops script breaks mid-work is stopped by the guard's signal;
 * the write it still attempts is refused by the service, because the lease id fences it.
 */
import type { BlockBlobClient } from '@azure/storage-blob';
import { azureFacts } from '../../azure/rest-error.js';
import { withBlobLease } from '../../lib/with-blob-lease.js';
import { LeaseLostError } from '../../lib/lease-errors.js';

async function readManifest(blob: BlockBlobClient, signal?: AbortSignal): Promise<{ files: string[] }> {
  return JSON.parse((await blob.downloadToBuffer(0, undefined, { abortSignal: signal })).toString()) as {
    files: string[];
  };
}

export async function leaseRight(manifest: BlockBlobClient): Promise<string[]> {
  const workers = ['worker-e', 'worker-f', 'worker-g'];
  const lines: string[] = [];
  const t0 = performance.now();
  await Promise.all(
    workers.map((w) =>
      withBlobLease(
        manifest,
        async ({ leaseId, conditions, signal }) => {
          const waited = Math.round(performance.now() - t0);
          const doc = await readManifest(manifest, signal);
          const text = JSON.stringify({ ...doc, files: [...doc.files, `${w}.bin`] });
          await manifest.upload(text, Buffer.byteLength(text), { conditions, abortSignal: signal });
          lines.push(`${w}: lease ${leaseId} after ${waited} ms of waiting, wrote with it, released it`);
        },
        { durationSeconds: 15, backoff: { baseMs: 10, maxMs: 100 } },
      ),
    ),
  );
  const doc = await readManifest(manifest);
  const lost = workers.filter((w) => !doc.files.includes(`${w}.bin`));
  lines.push(
    `manifest.json now lists ${doc.files.join(', ')}: ${lost.length ? `LOST ${lost.join(', ')}` : 'no update lost'}; ` +
      `lease state ${(await manifest.getProperties()).leaseState}`,
  );
  return [...lines, ...(await brokenMidWork(manifest))];
}

/** worker-h's lease is broken while it works: the renewal is refused, the signal aborts, the late write gets 412. */
async function brokenMidWork(manifest: BlockBlobClient): Promise<string[]> {
  const lines: string[] = [];
  try {
    await withBlobLease(
      manifest,
      async ({ leaseId, conditions, signal }) => {
        lines.push(`worker-h holds lease ${leaseId}; an ops script breaks it while worker-h is still working`);
        await manifest.getBlobLeaseClient().breakLease(0);
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        lines.push(`withBlobLease aborts worker-h's signal: ${(signal.reason as Error).message}`);
        await manifest.upload('{"version":0}', 13, { conditions }); // worker-h ignores the signal, on purpose
      },
      { durationSeconds: 15, renewEveryMs: 200 },
    );
  } catch (err) {
    const write = err instanceof LeaseLostError ? azureFacts(err.cause) : azureFacts(err);
    lines.push(
      `worker-h writes anyway with its lease id → ${write.status ?? '?'} ${write.errorCode ?? ''}: refused, manifest.json untouched`,
    );
  }
  return lines;
}
