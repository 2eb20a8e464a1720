import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../../src/commands/context.js';
import { testContext } from '../helpers/context.js';
import { preflight } from '../../src/commands/preflight.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';

const fx = useAzurite();
const container = uniqueName('pf');
let dir = '';
let etag = '';
let leaseId = '';

function context(lines: string[], extra: Record<string, unknown> = {}): Context {
  return testContext(
    { AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString },
    { format: 'json', debug: true, ...extra },
    lines,
  );
}

async function jobsFile(name: string, jobs: unknown[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(jobs, null, 2));
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cnm-pf-'));
  const c = fx.service.getContainerClient(container);
  await c.create();
  etag = (await c.getBlockBlobClient('a.json').upload('{}', 2)).etag!;
  const leased = c.getBlockBlobClient('leased.json');
  await leased.upload('{}', 2);
  leaseId = (await leased.getBlobLeaseClient().acquireLease(-1)).leaseId!;
});

const sent = (lines: string[], method: string) => lines.filter((l) => l.startsWith(`→ ${method} `));

describe('preflight against Azurite: one state read per blob', () => {
  it('five jobs on one blob → one Get Blob Properties, no tags read, each job judged', async () => {
    const lines: string[] = [];
    const file = await jobsFile('one-blob.json', [
      { id: 'fresh', blob: `${container}/a.json`, ifMatch: etag },
      { id: 'stale', blob: `${container}/a.json`, ifMatch: '"0x1"' },
      { id: 'create', blob: `${container}/a.json`, ifNoneMatch: '*' },
      { id: 'meta', blob: `${container}/a.json`, operation: 'SetBlobMetadata' },
      { id: 'read', blob: `${container}/a.json`, operation: 'read', ifNoneMatch: etag },
    ]);
    const report = await preflight(file, {}, context(lines));
    expect(report.jobs.map((j) => [j.id, j.verdict, j.cause?.code])).toEqual([
      ['fresh', 'fresh', undefined],
      ['stale', 'stale', 'stale-etag'],
      ['create', 'stale', 'create-only-on-existing'],
      ['meta', 'fresh', undefined],
      ['read', 'stale', 'if-none-match-current'],
    ]);
    expect(report.summary).toEqual({ total: 5, fresh: 2, stale: 3, errors: 0 });
    expect(sent(lines, 'HEAD')).toHaveLength(1);
    expect(sent(lines, 'GET')).toHaveLength(0);
  });

  it('tags are read only when a job has ifTags; the lease id is probed (a read) once per distinct id, only when leased', async () => {
    const lines: string[] = [];
    const file = await jobsFile('leased.json', [
      { id: 'holder', blob: `${container}/leased.json`, leaseId },
      { id: 'holder-again', blob: `${container}/leased.json`, leaseId, ifTags: `"env" = 'prod'` },
      { id: 'stranger', blob: `${container}/leased.json`, leaseId: '11111111-1111-1111-1111-111111111111' },
      { id: 'forgot', blob: `${container}/leased.json` },
      { id: 'unleased', blob: `${container}/a.json`, leaseId },
    ]);
    const report = await preflight(file, {}, context(lines));
    expect(report.jobs.map((j) => [j.id, j.verdict, j.cause?.code])).toEqual([
      ['holder', 'fresh', undefined],
      ['holder-again', 'stale', 'tags-condition'],
      ['stranger', 'stale', 'lease-id-mismatch'],
      ['forgot', 'stale', 'lease-id-missing'],
      ['unleased', 'stale', 'lease-not-present'],
    ]);
    // leased.json: properties + two probes; a.json: properties only (no lease, nothing to probe).
    expect(sent(lines, 'HEAD')).toHaveLength(4);
    expect(sent(lines, 'GET').filter((l) => l.includes('comp=tags'))).toHaveLength(1);
  });

  it("a folder of captures is a jobs source: each capture's own request is checked", async () => {
    const folder = join(dir, 'captures');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(folder);
    const url = `${fx.az.blobEndpoint}/${container}/a.json`;
    await writeFile(
      join(folder, 'stale.json'),
      JSON.stringify({ request: { method: 'PUT', url, headers: { 'If-Match': '"0x1"' } }, response: { status: 412 } }),
    );
    await writeFile(
      join(folder, 'fresh.json'),
      JSON.stringify({ request: { method: 'PUT', url: `${url}?comp=metadata`, headers: { 'If-Match': etag } } }),
    );
    const report = await preflight(folder, {}, context([]));
    expect(report.jobs.map((j) => [j.id, j.verdict, j.operation])).toEqual([
      ['fresh.json', 'fresh', 'SetBlobMetadata'],
      ['stale.json', 'stale', 'PutBlob'],
    ]);
  });

  it('a missing container is judged, not an error: every write into it fails, even a create (404 ContainerNotFound)', async () => {
    const file = await jobsFile('missing.json', [
      { blob: 'no-such-container/x.json', ifMatch: '"0x1"' },
      { blob: 'no-such-container/y.json' },
    ]);
    const report = await preflight(file, {}, context([]));
    expect(report.jobs.map((j) => j.verdict)).toEqual(['stale', 'stale']);
    expect(report.jobs.map((j) => j.cause?.code)).toEqual(['blob-not-found', 'blob-not-found']);
    expect(report.jobs[1]!.expected).toMatchObject({ status: 404, errorCode: 'ContainerNotFound' });
  });

  it('--concurrency must be a whole number from 1 to 1024', async () => {
    const file = await jobsFile('c.json', []);
    await expect(preflight(file, { concurrency: '0' }, context([]))).rejects.toMatchObject({ exitCode: 2 });
    await expect(preflight(file, { concurrency: 'many' }, context([]))).rejects.toMatchObject({ exitCode: 2 });
  });
});
