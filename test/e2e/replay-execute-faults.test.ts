/**
 * `replay --execute` through a fault-injecting loopback proxy between cnm and a real Azurite: whatever the
 * network or the service does, the write goes out exactly once, and a lost answer is reported as an unknown
 * outcome (exit 3) with the `cnm inspect` line that checks it — never retried.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppendBlobClient } from '@azure/storage-blob';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../../src/testing/fault-proxy.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-exec-faults-'));
const fx = useAzurite();
const container = uniqueName('exec');
let proxy: FaultProxy;
let blob: AppendBlobClient;
const BODY = 'line-6';

const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
/** The connection string points at the proxy: every request cnm sends crosses it. */
const env = () =>
  cleanEnv({
    AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${proxy.url}/${DEV_ACCOUNT};`,
  });
const isAppend = (r: { method: string; url: string }) => r.method === 'PUT' && r.url.includes('comp=appendblock');

beforeAll(async () => {
  proxy = await startFaultProxy(new URL(fx.az.blobEndpoint).origin);
  const c = fx.service.getContainerClient(container);
  await c.create();
  blob = c.getAppendBlobClient('journal.log');
  await blob.create();
});
afterAll(() => proxy?.close());
beforeEach(() => {
  proxy.setRules([]);
  proxy.seen.length = 0;
});

/** An Append Block whose conditions hold now (If-Match the current ETag): replay would send it. */
async function appendCapture(): Promise<string> {
  const etag = (await blob.getProperties()).etag!;
  const url = `${proxy.url}/${DEV_ACCOUNT}/${container}/journal.log?comp=appendblock`;
  const capture = {
    request: { method: 'PUT', url, headers: { 'if-match': etag, 'content-length': String(BODY.length) } },
  };
  return file(`append-${Math.random().toString(36).slice(2)}.json`, JSON.stringify(capture));
}

async function executeThrough(fault: Fault, extra: string[] = []) {
  const capture = await appendCapture();
  const before = (await blob.getProperties()).contentLength ?? 0;
  proxy.setRules([{ match: isAppend, fault }]);
  const r = await runCli(['replay', capture, '--execute', '--body', file('body.txt', BODY), '--json', ...extra], env());
  const after = (await blob.getProperties()).contentLength ?? 0;
  return { ...r, sends: proxy.seen.filter(isAppend).length, appended: after - before };
}

describe('replay --execute sends a write exactly once, whatever the fault', () => {
  it('no fault: one Append Block, appended once, exit 0', async () => {
    const r = await executeThrough({ kind: 'pass' });
    expect(r.code).toBe(0);
    expect(r.sends).toBe(1);
    expect(r.appended).toBe(BODY.length);
  });

  it.each<[string, Fault & { kind: 'status' }]>([
    ['503 ServerBusy', { kind: 'status', status: 503 }],
    ['503 with Retry-After', { kind: 'status', status: 503, retryAfterSeconds: 1 }],
    ['429 throttled', { kind: 'status', status: 429 }],
    ['500 before the service saw it', { kind: 'status', status: 500 }],
  ])('%s → sent once, nothing appended, exit 3 with the status reported', async (_l, fault) => {
    const r = await executeThrough(fault);
    expect(r.sends).toBe(1);
    expect(r.appended).toBe(0);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).actual.status).toBe(fault.status);
  });

  it('500 after the service applied it → sent once, appended once, exit 3 and a note to check with cnm inspect', async () => {
    const r = await executeThrough({ kind: 'status', status: 500, forward: true });
    expect(r.sends).toBe(1);
    expect(r.appended).toBe(BODY.length);
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.actual.status).toBe(500);
    expect(j.notes.join('\n')).toMatch(/may have been applied.*cnm inspect/);
  });

  it('connection reset after the service applied it (response lost) → sent once, appended once, exit 3 "outcome is unknown"', async () => {
    const r = await executeThrough({ kind: 'reset-after' });
    expect(r.sends).toBe(1);
    expect(r.appended).toBe(BODY.length);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(
      /sent once and its outcome is unknown — .*cnm inspect http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/.*journal\.log`/,
    );
  });

  it('connection reset before the service saw it → sent once, nothing appended, exit 3', async () => {
    const r = await executeThrough({ kind: 'reset-before' });
    expect(r.sends).toBe(1);
    expect(r.appended).toBe(0);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/outcome is unknown/);
  });

  it('a hung service → gives up at --timeout, sent once, exit 3', async () => {
    const r = await executeThrough({ kind: 'hang' }, ['--timeout', '1500']);
    expect(r.sends).toBe(1);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/outcome is unknown/);
  });
});

describe('replay --execute keeps secrets off every line', () => {
  it('a captured header holding a connection string is redacted on the "sending once" line, with and without -q', async () => {
    const capture = JSON.parse(readFileSync(await appendCapture(), 'utf8')) as {
      request: { headers: Record<string, string> };
    };
    capture.request.headers['x-ms-meta-conn'] =
      `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0LWtleS1vZi10aGUtdXNlcg==;`;
    const path = file('meta-secret.json', JSON.stringify(capture));
    for (const quiet of [[], ['-q']]) {
      const r = await runCli(['replay', path, '--execute', '--body', file('body.txt', BODY), ...quiet], env());
      expect(r.stderr + r.stdout).not.toContain('c2VjcmV0LWtleS1vZi10aGUtdXNlcg');
      if (quiet.length === 0) expect(r.stderr).toMatch(/AccountKey=REDACTED/);
    }
  });
});
