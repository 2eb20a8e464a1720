/**
 * `cnm replay` end to end on a real Azurite, one capture per family of issue 9: lease actions refused with 409
 * (captured from the real SDK), a read of a snapshot after the base blob changed, a Put Blob From URL whose
 * destination condition is stale (Azurite 3.35 answers 501 to From-URL writes, so that capture is written as a
 * user would write one), and a container lease. What a user sees: the exit code, the verdict and the cause.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { beforeAll, describe, expect, it } from 'vitest';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { realFailure } from '../helpers/real-captures.js';
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
