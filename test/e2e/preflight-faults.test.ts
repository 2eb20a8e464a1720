/**
 * preflight through a fault-injecting loopback proxy in front of a real Azurite: one blob that hangs, resets or
 * cuts its answer makes that job an `error` with its reason while every other job is reported (exit 3); an
 * endpoint that is down for good is not hammered blob after blob.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../../src/testing/fault-proxy.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-pf-faults-'));
const fx = useAzurite();
const container = uniqueName('many');
const JOBS = 60;
const BAD = 'b0030.json';
let proxy: FaultProxy;
let jobsFile = '';

const env = () =>
  cleanEnv({
    AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${proxy.url}/${DEV_ACCOUNT};`,
  });

beforeAll(async () => {
  proxy = await startFaultProxy(new URL(fx.az.blobEndpoint).origin);
  const c = fx.service.getContainerClient(container);
  await c.create();
  const jobs = [];
  for (let i = 0; i < JOBS; i++) {
    const name = `b${String(i).padStart(4, '0')}.json`;
    const etag = (await c.getBlockBlobClient(name).upload('{}', 2)).etag!;
    jobs.push({ id: `job-${i}`, blob: `${container}/${name}`, ifMatch: etag });
  }
  jobsFile = join(dir, 'jobs.json');
  writeFileSync(jobsFile, JSON.stringify(jobs));
});
afterAll(() => proxy?.close());
beforeEach(() => {
  proxy.setRules([]);
  proxy.seen.length = 0;
});

describe('one blob the network fails does not sink the run', () => {
  it.each<[string, Fault]>([
    ['hangs', { kind: 'hang' }],
    ['resets before answering', { kind: 'reset-before' }],
    ['cuts its answer', { kind: 'cut-body' }],
    ['answers 503', { kind: 'status', status: 503 }],
  ])(
    'a blob that %s → that job is an error with its reason, the other jobs are reported, exit 3',
    async (_l, fault) => {
      proxy.setRules([{ match: (r) => r.url.includes(BAD), fault }]);
      // --timeout well above what a loaded machine needs for the healthy blobs; only the faulted one may run out.
      const r = await runCli(['preflight', jobsFile, '--json', '--timeout', '5000'], env());
      expect(r.code).toBe(3);
      const j = JSON.parse(r.stdout);
      expect(j.summary).toEqual({ total: JOBS, fresh: JOBS - 1, stale: 0, errors: 1 });
      const bad = j.jobs.find((x: { blob: string }) => x.blob.endsWith(BAD));
      expect(bad.verdict).toBe('error');
      expect(bad.error.message).toMatch(/b0030\.json/);
    },
  );
});

describe('an endpoint that is down', () => {
  it('every blob reset: one line, exit 3, and only the first few blobs were tried', async () => {
    proxy.setRules([{ fault: { kind: 'reset-before' } }]);
    const r = await runCli(['preflight', jobsFile, '--timeout', '2000', '--concurrency', '4'], env());
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/connection reset/);
    const blobsTried = new Set(proxy.seen.map((s) => s.url.split('?')[0]));
    expect(blobsTried.size).toBeLessThan(JOBS / 2);
  });
});
