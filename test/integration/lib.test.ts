import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient, newPipeline, StorageSharedKeyCredential, type ContainerClient } from '@azure/storage-blob';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import { readBlobState } from '../../src/azure/read-blob-state.js';
import { readCaptureFile } from '../../src/logs/read-capture-file.js';
import { captureFailedRequests, explainCapture, readRefreshWrite, ReadRefreshWriteError } from '../../src/lib/index.js';
import { azureFacts } from '../../src/azure/rest-error.js';
import { startFaultProxy } from '../../src/testing/fault-proxy.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { proxiedBlob } from '../helpers/proxied-blob.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const fx = useAzurite();
let container: ContainerClient;

beforeAll(async () => {
  container = fx.service.getContainerClient(uniqueName('lib'));
  await container.create();
});

const increment = (text: string | null) => String(Number(text ?? '0') + 1);

async function blindIncrement(blob: ReturnType<ContainerClient['getBlockBlobClient']>): Promise<void> {
  // One GET, as a naive worker would; downloadToBuffer's HEAD + ranged GET would itself fail mid-race.
  const res = await blob.download(0);
  const chunks: Buffer[] = [];
  for await (const chunk of res.readableStreamBody!) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  await blob.upload(increment(text), increment(text).length);
}

describe('readRefreshWrite on Azurite', () => {
  it('16 concurrent workers x 25 increments end at exactly 400; blind writes in the same test lose updates', async () => {
    const counter = container.getBlockBlobClient('counter.txt');
    const blind = container.getBlockBlobClient('blind.txt');
    await blind.upload('0', 1);
    const worker = async (step: () => Promise<unknown>) => {
      for (let i = 0; i < 25; i++) await step();
    };
    await Promise.all(
      Array.from({ length: 16 }, () =>
        worker(() => readRefreshWrite(counter, increment, { maxAttempts: 200, backoff: { baseMs: 5, maxMs: 200 } })),
      ),
    );
    await Promise.all(Array.from({ length: 16 }, () => worker(() => blindIncrement(blind))));
    expect((await counter.downloadToBuffer()).toString()).toBe('400');
    expect(Number((await blind.downloadToBuffer()).toString())).toBeLessThan(400);
  }, 120_000);

  it('the answer to a write lost: with the SDK retrying, an increment lands twice; with maxTries 1 it lands once and the error says so', async () => {
    const proxy = await startFaultProxy(new URL(fx.az.blobEndpoint).origin);
    try {
      for (const [maxTries, landed] of [
        [4, '2'],
        [1, '1'],
      ] as const) {
        const name = uniqueName('lost-answer');
        await container.getBlockBlobClient(name).upload('0', 1);
        // The service applies the first write; its answer never arrives.
        proxy.setRules([{ match: (r) => r.method === 'PUT', fault: { kind: 'reset-after' }, times: 1 }]);
        const blob = proxiedBlob(proxy, container.containerName, name, {
          retryOptions: { maxTries, retryDelayInMs: 10 },
        });
        let calls = 0;
        const counting = (text: string | null) => (calls++, increment(text));
        const outcome = await readRefreshWrite(blob, counting, { maxAttempts: 5 }).then(
          (r) => r.outcome,
          (err: unknown) => azureFacts(err).status ?? 'no answer',
        );
        expect((await container.getBlockBlobClient(name).downloadToBuffer()).toString()).toBe(landed);
        // Re-sent by the SDK, the write fails its If-Match (the first applied) and update runs on its own result.
        if (maxTries > 1) expect([outcome, calls]).toEqual(['written', 2]);
        // Sent once: the lost answer is the caller's to judge (the increment may or may not have landed).
        else expect([outcome, calls]).toEqual(['no answer', 1]);
      }
    } finally {
      await proxy.close();
    }
  });

  it('a missing blob is created with If-None-Match: *; update sees null; returning null skips the write', async () => {
    const blob = container.getBlockBlobClient('new.json');
    const seen: Array<string | null> = [];
    const r = await readRefreshWrite(blob, (cur) => (seen.push(cur), '{"n":1}'), { maxAttempts: 3 });
    expect(r).toMatchObject({ outcome: 'written', attempts: 1 });
    expect(seen).toEqual([null]);
    const skipped = await readRefreshWrite(blob, () => null, { maxAttempts: 3 });
    expect(skipped).toMatchObject({ outcome: 'skipped', etag: r.etag, attempts: 1 });
  });

  it('writers racing to create a new blob: the loser gets 409 BlobAlreadyExists, re-reads and adds its entry', async () => {
    const blob = container.getBlockBlobClient('created-by-many.json');
    const add = (who: string) => (cur: string | null) =>
      JSON.stringify([...(cur ? (JSON.parse(cur) as string[]) : []), who]);
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((w) =>
        readRefreshWrite(blob, add(w), { maxAttempts: 20, backoff: { baseMs: 5, maxMs: 50 } }),
      ),
    );
    expect(results.some((r) => r.attempts > 1)).toBe(true);
    expect((JSON.parse((await blob.downloadToBuffer()).toString()) as string[]).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('update may return bytes: they are written as they are', async () => {
    const blob = container.getBlockBlobClient('bytes.bin');
    const bytes = Uint8Array.from([0, 255, 10, 13, 128, 7]);
    await readRefreshWrite(blob, () => bytes, { maxAttempts: 2 });
    expect([...(await blob.downloadToBuffer())]).toEqual([...bytes]);
  });

  it('keeps the content type and metadata across the rewrite', async () => {
    const blob = container.getBlockBlobClient('typed.json');
    await blob.upload('{}', 2, { blobHTTPHeaders: { blobContentType: 'application/json' }, metadata: { owner: 'ci' } });
    await readRefreshWrite(blob, () => '{"a":1}', { maxAttempts: 2 });
    const p = await blob.getProperties();
    expect(p.contentType).toBe('application/json');
    expect(p.metadata).toEqual({ owner: 'ci' });
  });

  it('a lease held by someone else is not retried: it throws at once with the diagnosis lease-id-missing', async () => {
    const blob = container.getBlockBlobClient('leased.txt');
    await blob.upload('1', 1);
    await blob.getBlobLeaseClient().acquireLease(-1);
    const err = await readRefreshWrite(blob, increment, { maxAttempts: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadRefreshWriteError);
    expect(err).toMatchObject({ attempts: 1, status: 412, errorCode: 'LeaseIdMissing' });
    expect((err as ReadRefreshWriteError).diagnosis?.cause?.code).toBe('lease-id-missing');
  });

  it('with the lease id it writes; with a wrong one the diagnosis is lease-id-mismatch (checked by a read-only probe)', async () => {
    const blob = container.getBlockBlobClient('leased2.txt');
    await blob.upload('1', 1);
    const lease = await blob.getBlobLeaseClient().acquireLease(-1);
    await expect(readRefreshWrite(blob, increment, { maxAttempts: 2, leaseId: lease.leaseId })).resolves.toMatchObject({
      outcome: 'written',
    });
    const err = (await readRefreshWrite(blob, increment, {
      maxAttempts: 2,
      leaseId: '11111111-1111-1111-1111-111111111111',
    }).catch((e: unknown) => e)) as ReadRefreshWriteError;
    expect(err.conditionCause?.code).toBe('lease-id-mismatch');
  });

  it('when every attempt loses the race it gives up after maxAttempts with the last diagnosis', async () => {
    const blob = container.getBlockBlobClient('contended.txt');
    await blob.upload('0', 1);
    // A rival that writes between our read and our write, every time.
    const err = (await readRefreshWrite(
      blob,
      async (cur) => {
        await blob.upload('rival', 5);
        return increment(cur);
      },
      { maxAttempts: 3, backoff: () => 0 },
    ).catch((e: unknown) => e)) as ReadRefreshWriteError;
    expect(err).toBeInstanceOf(ReadRefreshWriteError);
    expect(err.attempts).toBe(3);
    expect(err.errorCode).toBe('ConditionNotMet');
    expect(err.diagnosis?.cause?.code).toBe('stale-etag');
    expect(err.message).toMatch(/gave up after 3 attempts: stale-etag/);
  });
});

describe('captureFailedRequests on Azurite', () => {
  function capturingContainer(dir: string, name: string): ContainerClient {
    const pipeline = newPipeline(new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY));
    pipeline.factories.unshift(captureFailedRequests({ dir }));
    return new BlobServiceClient(fx.az.blobEndpoint, pipeline).getContainerClient(name);
  }

  it('a 412 yields a redacted capture that readCaptureFile parses, explainCapture explains and cnm replay diagnoses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cnm-cap-'));
    const c = capturingContainer(dir, container.containerName);
    const blob = c.getBlockBlobClient('captured.json');
    const first = await blob.upload('{}', 2);
    await blob.upload('{"v":2}', 7);
    await expect(blob.upload('{"v":3}', 7, { conditions: { ifMatch: first.etag } })).rejects.toMatchObject({
      statusCode: 412,
    });
    await c.createIfNotExists(); // 409 ContainerAlreadyExists without conditions: not captured
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    const file = join(dir, files[0]!);
    const read = await readCaptureFile(file);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const capture = read.captures[0]!;
    expect(capture.request).toMatchObject({ method: 'PUT', headers: { 'if-match': first.etag } });
    expect(JSON.stringify(capture)).not.toContain(DEV_KEY);
    expect(capture.response).toMatchObject({ status: 412, headers: { 'x-ms-error-code': 'ConditionNotMet' } });
    const state = (await readBlobState(container.getBlobClient('captured.json'), 'blob', { tags: false })).state;
    expect(explainCapture(capture, state).cause?.code).toBe('stale-etag');
    const r = await runCli(
      ['replay', file, '--json'],
      cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString }),
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      command: 'replay',
      verdict: 'would-fail',
      cause: { code: 'stale-etag' },
    });
    expect(r.stdout).not.toContain(DEV_KEY);
  });

  it('a successful conditional request writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cnm-cap-'));
    const blob = capturingContainer(dir, container.containerName).getBlockBlobClient('ok.json');
    const up = await blob.upload('{}', 2);
    await blob.upload('{}', 2, { conditions: { ifMatch: up.etag } });
    expect(await readdir(dir)).toEqual([]);
  });
});
