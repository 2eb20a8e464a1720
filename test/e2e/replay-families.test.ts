/**
 * `cnm replay` end to end on a real Azurite, one capture per family of issue 9: lease actions refused with 409
 * (captured from the real SDK), a read of a snapshot after the base blob changed, a Put Blob From URL whose
 * destination condition is stale (Azurite 3.35 answers 501 to From-URL writes, so that capture is written as a
 * user would write one), a container lease, and a Blob Batch recorded through a proxy with its body. What a user sees: the exit code, the verdict and the cause.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  BlobServiceClient,
  StorageSharedKeyCredential,
  type BlockBlobClient,
  type ContainerClient,
} from '@azure/storage-blob';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { harOf, realFailure } from '../helpers/real-captures.js';
import { startRecordingProxy, type RecordedCapture } from '../helpers/recording-proxy.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-families-'));
const fx = useAzurite();
const env = () => cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString });
let container: ContainerClient;
let n = 0;

const file = (content: unknown) => {
  n += 1;
  const path = join(dir, `capture-${n}.json`);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
const replay = async (capture: unknown) => {
  const r = await runCli(['replay', file(capture), '--json'], env());
  return { code: r.code, stderr: r.stderr, json: r.stdout ? JSON.parse(r.stdout) : undefined };
};

async function blockBlob(text = 'hello'): Promise<BlockBlobClient> {
  n += 1;
  const b = container.getBlockBlobClient(`b${n}.txt`);
  await b.upload(text, text.length);
  return b;
}

beforeAll(async () => {
  container = fx.service.getContainerClient(uniqueName('families'));
  await container.create();
});

describe('lease actions refused with 409, replayed', () => {
  it('acquire while another id holds the lease → exit 1, 409 LeaseAlreadyPresent, "wait, or break deliberately"', async () => {
    const b = await blockBlob();
    await b.getBlobLeaseClient(randomUUID()).acquireLease(-1);
    const capture = await realFailure(() => b.getBlobLeaseClient(randomUUID()).acquireLease(30), 409);
    const { code, json } = await replay(capture);
    expect(code).toBe(1);
    expect(json).toMatchObject({
      verdict: 'would-fail',
      request: { operation: 'AcquireBlobLease' },
      recorded: { status: 409, errorCode: 'LeaseAlreadyPresent' },
      expected: { status: 409, errorCode: 'LeaseAlreadyPresent' },
      cause: { code: 'lease-state-conflict', errorCode: 'LeaseAlreadyPresent' },
    });
    expect(json.fix[0]).toMatch(/wait for its holder/);
    expect(json.notes.join(' ')).toMatch(/NOT the active lease/);
  });

  it('renew after the lease was broken → exit 1, 409 LeaseIsBrokenAndCannotBeRenewed, "acquire a new lease"', async () => {
    const b = await blockBlob();
    const lease = b.getBlobLeaseClient(randomUUID());
    await lease.acquireLease(-1);
    await lease.breakLease(0);
    const capture = await realFailure(() => lease.renewLease(), 409);
    const { code, json } = await replay(capture);
    expect(code).toBe(1);
    expect(json.expected).toEqual({ status: 409, errorCode: 'LeaseIsBrokenAndCannotBeRenewed' });
    expect(json.blob.lease).toMatchObject({ state: 'broken' });
    expect(json.fix[0]).toMatch(/acquire a new lease/i);
  });

  it('release on a blob with no lease → exit 1, 409 LeaseIdMismatchWithLeaseOperation (not the code one guesses)', async () => {
    const b = await blockBlob();
    const capture = await realFailure(() => b.getBlobLeaseClient(randomUUID()).releaseLease(), 409);
    const { code, json } = await replay(capture);
    expect(code).toBe(1);
    expect(json.cause).toMatchObject({ code: 'lease-state-conflict', errorCode: 'LeaseIdMismatchWithLeaseOperation' });
  });

  it('a container lease acquired by another id → exit 1, 409 LeaseAlreadyPresent', async () => {
    const c = fx.service.getContainerClient(uniqueName('leased'));
    await c.create();
    await c.getBlobLeaseClient(randomUUID()).acquireLease(-1);
    const capture = await realFailure(() => c.getBlobLeaseClient(randomUUID()).acquireLease(-1), 409);
    const { code, json } = await replay(capture);
    expect(code).toBe(1);
    expect(json).toMatchObject({
      request: { operation: 'AcquireContainerLease' },
      expected: { status: 409, errorCode: 'LeaseAlreadyPresent' },
    });
  });
});

describe('snapshots', () => {
  it("a read of a snapshot with the snapshot's own ETag, after the base blob changed → exit 0, judged against the snapshot", async () => {
    const b = await blockBlob('v1');
    const snap = await b.createSnapshot();
    const snapshot = b.withSnapshot(snap.snapshot!);
    const snapEtag = (await snapshot.getProperties()).etag!;
    await b.upload('v2', 2);
    const { code, json } = await replay({
      request: { method: 'GET', url: snapshot.url, headers: { 'If-Match': snapEtag, 'x-ms-version': '2025-11-05' } },
    });
    expect(code).toBe(0);
    expect(json.verdict).toBe('would-succeed');
    expect(json.blob).toMatchObject({ etag: snapEtag, snapshot: snap.snapshot });
    expect(json.notes.join(' ')).toMatch(/judged against snapshot/);
    const inspect = await runCli(['inspect', snapshot.url, '--json'], env());
    expect(inspect.code).toBe(0);
    expect(JSON.parse(inspect.stdout)).toMatchObject({ etag: snapEtag, snapshot: snap.snapshot, contentLength: 2 });
  });

  it('a metadata write sent to a snapshot → exit 1, 400 snapshot-read-only', async () => {
    const b = await blockBlob();
    const snap = await b.createSnapshot();
    const url = `${b.withSnapshot(snap.snapshot!).url}&comp=metadata`;
    const { code, json } = await replay({ request: { method: 'PUT', url, headers: { 'x-ms-meta-a': 'b' } } });
    expect(code).toBe(1);
    expect(json).toMatchObject({ expected: { status: 400 }, cause: { code: 'snapshot-read-only' } });
  });
});

describe('From-URL writes', () => {
  it('Put Blob From URL with a stale destination If-Match → exit 1, 412 TargetConditionNotMet (target-condition)', async () => {
    const dest = await blockBlob('old');
    const source = await blockBlob('new');
    const { code, json } = await replay({
      request: {
        method: 'PUT',
        url: dest.url,
        headers: {
          'x-ms-blob-type': 'BlockBlob',
          'x-ms-copy-source': source.url,
          'If-Match': '"0x8D0000000000001"',
          'x-ms-version': '2025-11-05',
        },
      },
      response: { status: 412, headers: { 'x-ms-error-code': 'TargetConditionNotMet' } },
    });
    expect(code).toBe(1);
    expect(json).toMatchObject({
      request: { operation: 'PutBlobFromURL' },
      expected: { status: 412, errorCode: 'TargetConditionNotMet' },
      cause: { code: 'target-condition' },
    });
  });
});

describe('Blob Batch', () => {
  it('a batch with one failing sub-request, recorded through a proxy → exit 1, each sub-request judged against its own blob', async () => {
    const a = await blockBlob('a');
    const b = await blockBlob('b');
    const proxy = await startRecordingProxy(fx.az.blobEndpoint.replace(/\/devstoreaccount1\/?$/, ''), { bodies: true });
    let capture: RecordedCapture | undefined;
    try {
      const viaProxy = BlobServiceClient.fromConnectionString(
        `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${proxy.url}/${DEV_ACCOUNT};`,
      ).getContainerClient(container.containerName);
      const batch = viaProxy.getBlobBatchClient().createBatch();
      const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY);
      await batch.deleteBlob(viaProxy.getBlobClient(a.name).url, credential);
      await batch.deleteBlob(viaProxy.getBlobClient(b.name).url, credential, {
        conditions: { ifMatch: '"0x8D0000000000001"' },
      });
      const answer = await viaProxy.getBlobBatchClient().submitBatch(batch);
      expect(answer.subResponses.map((r) => r.status)).toEqual([202, 412]);
      capture = proxy.captures.find((c) => /comp=batch/.test(c.request.url));
    } finally {
      await proxy.close();
    }
    // Blob a is written again by its producer, so now only the stale sub-request fails.
    await a.upload('a2', 2);
    const { code, json } = await replay(capture);
    expect(code).toBe(1);
    expect(json).toMatchObject({
      request: { operation: 'SubmitBatch' },
      expected: { status: 202 },
      recorded: { status: 202 },
      verdict: 'would-fail',
      cause: { code: 'stale-etag' },
    });
    expect(json.subRequests).toHaveLength(2);
    expect(json.subRequests[0]).toMatchObject({
      index: 0,
      verdict: 'would-succeed',
      request: { operation: 'DeleteBlob' },
    });
    expect(json.subRequests[1]).toMatchObject({
      index: 1,
      verdict: 'would-fail',
      expected: { status: 412, errorCode: 'ConditionNotMet' },
      recorded: { status: 412, errorCode: 'ConditionNotMet' },
      blob: { name: b.name, etag: (await b.getProperties()).etag },
    });
    expect(JSON.stringify(json)).not.toMatch(/SharedKey devstoreaccount1:[A-Za-z0-9+/=]{20}/);
    const table = await runCli(['replay', file(capture), '--format', 'table'], env());
    expect(table.stdout).toMatch(/#1 DeleteBlob .*would fail/);
    // A HAR with the body in postData: --request-id picks the batch among other entries.
    n += 1;
    const har = join(dir, `batch-${n}.har`);
    const other = { ...capture!, response: { status: 200, headers: { 'x-ms-request-id': 'unrelated' } } };
    writeFileSync(har, harOf([other, capture!]));
    const id = capture!.response!.headers['x-ms-request-id']!;
    const page = await runCli(['replay', har, '--request-id', id, '--format', 'html'], env());
    expect(page.code).toBe(1);
    expect(page.stdout).toMatch(/id="sub-requests"/);
    expect(page.stdout).toMatch(/data-verdict="would-fail"/);
  });
});
