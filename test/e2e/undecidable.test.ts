/**
 * A condition cnm cannot check never passes the gate: tags a read-only SAS cannot read, a response without an
 * ETag, a weak ETag. preflight reports the job as `error` (exit 3) naming what is missing; replay says
 * `undecided` (exit 3), never "would succeed". Real Azurite, real SAS; a loopback proxy rewrites responses the
 * way a proxy or CDN in front of the account would.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
  type BlockBlobClient,
} from '@azure/storage-blob';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import { startFaultProxy, type FaultProxy } from '../../src/testing/fault-proxy.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-undecided-'));
const fx = useAzurite();
const container = uniqueName('undecided');
let blob: BlockBlobClient;
let etag = '';
let proxy: FaultProxy;

const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

/** A container SAS with only the given permissions, as a CI gate would get it. */
function sas(permissions: string): string {
  return generateBlobSASQueryParameters(
    {
      containerName: container,
      permissions: ContainerSASPermissions.parse(permissions),
      expiresOn: new Date(Date.now() + 3600_000),
    },
    new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY),
  ).toString();
}

const viaProxy = () =>
  cleanEnv({
    AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${proxy.url}/${DEV_ACCOUNT};`,
  });

beforeAll(async () => {
  proxy = await startFaultProxy(new URL(fx.az.blobEndpoint).origin);
  const c = fx.service.getContainerClient(container);
  await c.create();
  blob = c.getBlockBlobClient('cfg.json');
  etag = (await blob.upload('{}', 2, { tags: { env: 'prod' } })).etag!;
});
afterAll(() => proxy?.close());
beforeEach(() => proxy.setRules([]));

describe('tags a read-only SAS cannot read', () => {
  it('preflight: the ifTags job is an error naming the missing Tags permission, exit 3 — with sp=rt it is judged', async () => {
    const jobs = file('tags-jobs.json', [
      { id: 'tagged', blob: `${blob.url}?${sas('r')}`, ifTags: `"env" = 'staging'` },
      { id: 'plain', blob: `${blob.url}?${sas('r')}`, ifMatch: etag },
    ]);
    const r = await runCli(['preflight', jobs, '--json'], cleanEnv());
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    const tagged = j.jobs.find((x: { id: string }) => x.id === 'tagged');
    expect(tagged.verdict).toBe('error');
    expect(tagged.error.message).toMatch(/x-ms-if-tags: .*Tags permission \(a SAS needs `t`/);
    expect(j.jobs.find((x: { id: string }) => x.id === 'plain').verdict).toBe('fresh');
    expect(j.summary).toMatchObject({ total: 2, fresh: 1, errors: 1 });

    const withTags = file('tags-jobs-rt.json', [
      { id: 'tagged', blob: `${blob.url}?${sas('rt')}`, ifTags: `"env" = 'staging'` },
    ]);
    const judged = await runCli(['preflight', withTags, '--json'], cleanEnv());
    expect(judged.code).toBe(1);
    expect(JSON.parse(judged.stdout).jobs[0]).toMatchObject({ verdict: 'stale', cause: { code: 'tags-condition' } });
  });

  it('replay: a tags condition that cannot be read is undecided, exit 3, not "would succeed"', async () => {
    const capture = file('tags-capture.json', {
      request: {
        method: 'PUT',
        url: `${blob.url}?comp=metadata&${sas('r')}`,
        headers: { 'x-ms-if-tags': `"env" = 'staging'` },
      },
      response: { status: 412, headers: { 'x-ms-error-code': 'ConditionNotMet' } },
    });
    const r = await runCli(['replay', capture, '--json'], cleanEnv());
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe('undecided');
    expect(j.cause).toBeUndefined();
    expect(j.undecided.join(' ')).toMatch(/x-ms-if-tags: .*403/);
    const table = await runCli(['replay', capture], cleanEnv());
    expect(table.stdout).toMatch(/undecided: a condition could not be checked/);
    expect(table.stdout).not.toMatch(/would succeed/);
  });
});

describe('an ETag that cannot be compared', () => {
  const job = (extra: Record<string, string>) =>
    file(`etag-${Math.random().toString(36).slice(2)}.json`, [{ id: 'j', blob: `${container}/cfg.json`, ...extra }]);

  it('no ETag in the response (stripped on the way): preflight error, exit 3', async () => {
    proxy.setRules([{ match: (r) => r.method === 'HEAD', fault: { kind: 'rewrite', headers: { etag: null } } }]);
    const r = await runCli(['preflight', job({ ifMatch: '"0x1111111111111111"' }), '--json'], viaProxy());
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).jobs[0]).toMatchObject({ verdict: 'error', error: { code: 'undecided' } });
  });

  it('a weak ETag from the service (a proxy rewrote it): If-Match and If-None-Match are both undecided, never a verdict', async () => {
    proxy.setRules([{ match: (r) => r.method === 'HEAD', fault: { kind: 'rewrite', headers: { etag: `W/${etag}` } } }]);
    for (const conditions of [{ ifMatch: etag }, { ifNoneMatch: etag }] as Array<Record<string, string>>) {
      const r = await runCli(['preflight', job(conditions), '--json'], viaProxy());
      expect(r.code).toBe(3);
      const j = JSON.parse(r.stdout).jobs[0];
      expect(j.verdict).toBe('error');
      expect(j.error.message).toMatch(/weak ETag .* rewrote it/);
    }
  });

  it('a weak If-Match the client sent: replay is undecided (how Azure treats W/ is unconfirmed)', async () => {
    const capture = file('weak.json', {
      request: { method: 'PUT', url: `${blob.url}?comp=metadata`, headers: { 'if-match': `W/${etag}` } },
    });
    const r = await runCli(
      ['replay', capture, '--json'],
      cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString }),
    );
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).verdict).toBe('undecided');
  });
});
