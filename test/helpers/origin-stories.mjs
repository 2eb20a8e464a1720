// The seven stories of a failed condition, played for real against the endpoint in ENDPOINT, in a process of
// their own run with AZURE_LOG_LEVEL=info, so its stderr is the Azure SDK's own log of them. Each worker is its
// own client with its name first in its user agent. Writes the ids each story produced to the JSON file in OUT.
// One request at a time: the SDK log pairs a response with its request by order when the response does not
// echo the client request id (Azurite's errors don't), so concurrent requests would interleave its records.
import { writeFileSync } from 'node:fs';
import { BlobServiceClient, StorageSharedKeyCredential, newPipeline } from '@azure/storage-blob';

const { ENDPOINT, ACCOUNT, KEY, CONTAINER, OUT } = process.env;
const credential = new StorageSharedKeyCredential(ACCOUNT, KEY);
const clients = new Map();

function client(name) {
  if (!clients.has(name))
    clients.set(
      name,
      new BlobServiceClient(
        ENDPOINT,
        newPipeline(credential, {
          userAgentOptions: { userAgentPrefix: `${name}/1.0` },
          // A short delay keeps the lost-response retry quick; the SDK keeps the client request id across retries.
          retryOptions: { retryDelayInMs: 200, maxTries: 3 },
        }),
      ),
    );
  return clients.get(name);
}

const blob = (worker, name) => client(worker).getContainerClient(CONTAINER).getBlockBlobClient(name);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function failure(work) {
  try {
    await work;
  } catch (err) {
    if (!err.statusCode) throw err;
    return {
      status: err.statusCode,
      errorCode: err.code,
      requestId: err.response?.headers.get('x-ms-request-id'),
      clientRequestId: err.request?.requestId,
    };
  }
  throw new Error('the story expected this request to fail, and it succeeded');
}

/** Until the start of the next second (plus a margin), so the next writes share one Last-Modified second. */
async function nextSecond() {
  await sleep(1000 - (Date.now() % 1000) + 20);
}

async function setup(name) {
  const r = await blob('setup', name).upload('{"v":0}', 7);
  return r.etag;
}

const stories = {
  // 1. A lease acquired for 15 s; the writer works past it (the other stories run meanwhile) and writes with the
  // lease id.
  async expired(meanwhile) {
    await setup('expired.json');
    const lease = blob('worker-e', 'expired.json').getBlobLeaseClient();
    const acquire = await lease.acquireLease(15);
    const started = Date.now();
    const others = await meanwhile();
    await sleep(Math.max(0, 16_500 - (Date.now() - started)));
    const failed = await failure(
      blob('worker-e', 'expired.json').upload('{"v":1}', 7, { conditions: { leaseId: lease.leaseId } }),
    );
    return { ...others, expired: { failed, acquireId: acquire.requestId, leaseId: lease.leaseId } };
  },
  // 2. The holder's lease is broken by another client between acquire and write.
  async broken() {
    await setup('broken.json');
    const lease = blob('worker-f', 'broken.json').getBlobLeaseClient();
    const acquire = await lease.acquireLease(60);
    const broke = await blob('ops-script', 'broken.json').getBlobLeaseClient().breakLease(0);
    const failed = await failure(
      blob('worker-f', 'broken.json').upload('{"v":1}', 7, { conditions: { leaseId: lease.leaseId } }),
    );
    return { failed, acquireId: acquire.requestId, breakId: broke.requestId, leaseId: lease.leaseId };
  },
  // 3. The holder releases its lease, then writes with the id.
  async released() {
    await setup('released.json');
    const lease = blob('worker-g', 'released.json').getBlobLeaseClient();
    const acquire = await lease.acquireLease(30);
    const release = await lease.releaseLease();
    const failed = await failure(
      blob('worker-g', 'released.json').upload('{"v":1}', 7, { conditions: { leaseId: lease.leaseId } }),
    );
    return { failed, acquireId: acquire.requestId, releaseId: release.requestId, leaseId: lease.leaseId };
  },
  // 4. A write whose response is lost (the proxy resets after Azurite committed it); the SDK retries it with
  // the same If-Match and the same client request id.
  async lost() {
    const etag = await setup('lost.json');
    const failed = await failure(blob('worker-h', 'lost.json').upload('{"v":1}', 7, { conditions: { ifMatch: etag } }));
    return { failed, etag };
  },
  // 5. One worker reuses its cached ETag for a second mutation.
  async reused() {
    await setup('reused.json');
    const cached = (await blob('worker-i', 'reused.json').getProperties()).etag;
    const first = await blob('worker-i', 'reused.json').upload('{"v":1}', 7, { conditions: { ifMatch: cached } });
    const failed = await failure(
      blob('worker-i', 'reused.json').setMetadata({ step: '2' }, { conditions: { ifMatch: cached } }),
    );
    return { failed, firstId: first.requestId, etag: cached };
  },
  // 6. Two workers, one manifest: both read it, one writes, the other writes with the ETag it read.
  async twoWorkers() {
    await setup('manifest.json');
    const seenByJ = (await blob('worker-j', 'manifest.json').getProperties()).etag;
    const seenByK = (await blob('worker-k', 'manifest.json').getProperties()).etag;
    const j = await blob('worker-j', 'manifest.json').upload('{"v":"j"}', 9, { conditions: { ifMatch: seenByJ } });
    const failed = await failure(
      blob('worker-k', 'manifest.json').upload('{"v":"k"}', 9, { conditions: { ifMatch: seenByK } }),
    );
    return { failed, writerId: j.requestId };
  },
  // 7. Two writes in one second: worker-z reads between them, worker-y writes again a second later, then
  // worker-z writes with the ETag it read. A log that renders If-Match as a date cannot tell the two apart.
  async sameSecond() {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const name = `same-second-${attempt}.json`;
      await setup(name);
      await nextSecond();
      const x = await blob('worker-x', name).upload('{"v":"x"}', 9);
      const seenByZ = (await blob('worker-z', name).getProperties()).etag;
      const y = await blob('worker-y', name).upload('{"v":"y"}', 9, { conditions: { ifMatch: x.etag } });
      if (x.lastModified.getTime() !== y.lastModified.getTime()) continue;
      await nextSecond();
      const y2 = await blob('worker-y', name).upload('{"v":"y2"}', 10, { conditions: { ifMatch: y.etag } });
      const failed = await failure(blob('worker-z', name).upload('{"v":"z"}', 9, { conditions: { ifMatch: seenByZ } }));
      return { failed, xId: x.requestId, yId: y.requestId, y2Id: y2.requestId, blob: name, etag: seenByZ };
    }
    throw new Error('no two writes landed in the same second in 5 attempts');
  },
};

await client('setup').getContainerClient(CONTAINER).create();
const results = await stories.expired(async () => {
  const out = {};
  for (const name of Object.keys(stories).filter((n) => n !== 'expired')) out[name] = await stories[name]();
  return out;
});
writeFileSync(OUT, JSON.stringify(results, null, 2));
