// A worker thread whose event loop freezes while it holds a lease (a long GC pause): withBlobLease from the built
// library, the real SDK, Azurite in the parent thread. It reports what the late write met and what the guard threw.
import { parentPort, workerData } from 'node:worker_threads';
import { BlobServiceClient } from '@azure/storage-blob';

const { withBlobLease } = await import(workerData.lib);
const blob = BlobServiceClient.fromConnectionString(workerData.connectionString)
  .getContainerClient(workerData.container)
  .getBlockBlobClient(workerData.name);
const gate = new Int32Array(workerData.gate);
const outcome = {};
try {
  await withBlobLease(
    blob,
    async ({ conditions, signal }) => {
      parentPort.postMessage({ type: 'acquired' });
      Atomics.wait(gate, 0, 0); // no timer runs, no renewal goes out, until the parent lets go
      outcome.abortedBeforeWrite = signal.aborted;
      try {
        await blob.upload('late', 4, { conditions }); // the write it was about to make, as if nothing happened
        outcome.lateWrite = 'accepted';
      } catch (err) {
        outcome.lateWrite = { status: err.statusCode, errorCode: err.details?.errorCode };
        outcome.abortedAfterWrite = signal.aborted;
        throw err;
      }
    },
    { durationSeconds: 15, renewEveryMs: 5000 },
  );
  outcome.result = 'resolved';
} catch (err) {
  outcome.error = { name: err.name, reason: err.reason, causeStatus: err.cause?.statusCode };
  if (!err.reason) outcome.message = String(err.stack);
}
parentPort.postMessage({ type: 'done', outcome });
