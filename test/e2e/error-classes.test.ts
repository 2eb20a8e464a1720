/**
 * Each failure a user meets gets its own class, its documented exit code and a hint, through a real fault between
 * cnm and a real Azurite: throttling honoured by Retry-After and counted truthfully, server errors, a body cut
 * mid-answer, TLS to a plain-http port, an unknown host, UTF-16 input, and the small ones (a bad NDJSON line
 * counted by diagnose, a writers list that stays bounded).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import { retryAfterMs } from '../../src/azure/read-retry-policy.js';
import { startFaultProxy, type FaultProxy } from '../../src/testing/fault-proxy.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-errors-'));
const fx = useAzurite();
const container = uniqueName('errs');
let proxy: FaultProxy;
const blob = `${container}/e.json`;

const env = (origin = proxy.url) =>
  cleanEnv({
    AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${origin}/${DEV_ACCOUNT};`,
  });
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const heads = () => proxy.seen.filter((r) => r.method === 'HEAD').length;

beforeAll(async () => {
  proxy = await startFaultProxy(new URL(fx.az.blobEndpoint).origin);
  await fx.service.getContainerClient(container).create();
  await fx.service.getContainerClient(container).getBlockBlobClient('e.json').upload('{}', 2);
});
afterAll(() => proxy?.close());
beforeEach(() => {
  proxy.setRules([]);
  proxy.seen.length = 0;
});

describe('Retry-After', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['Wed, 02 Dec 2026 10:00:05 GMT', 5000],
    ['soon', undefined],
    [undefined, undefined],
  ])('%s → %s ms', (value, ms) => {
    expect(retryAfterMs(value, Date.parse('2026-12-02T10:00:00Z'))).toBe(ms);
  });
});

describe('throttling and server errors on reads', () => {
  it('429 once with Retry-After: 1 → waited, tried again, the blob is shown (exit 0)', async () => {
    proxy.setRules([
      { match: (r) => r.method === 'HEAD', fault: { kind: 'status', status: 429, retryAfterSeconds: 1 }, times: 1 },
    ]);
    const r = await runCli(['inspect', blob, '--json'], env());
    expect(r.code).toBe(0);
    expect(heads()).toBe(2);
  });

  it('429 asking to wait longer than --timeout → not waited, exit 3, says so', async () => {
    proxy.setRules([
      { match: (r) => r.method === 'HEAD', fault: { kind: 'status', status: 429, retryAfterSeconds: 100 } },
    ]);
    const r = await runCli(['inspect', blob, '--timeout', '5000'], env());
    expect(r.code).toBe(3);
    expect(heads()).toBe(1);
    expect(r.stderr).toMatch(
      /429 TooManyRequests .*throttling \(tried once\) — it asked to wait 100 s \(Retry-After\), longer than --timeout allows/,
    );
  });

  it('503 every time → tried 3 times, the message says so (not "retried already"), exit 3', async () => {
    proxy.setRules([{ match: (r) => r.method === 'HEAD', fault: { kind: 'status', status: 503 } }]);
    const r = await runCli(['inspect', blob], env());
    expect(r.code).toBe(3);
    expect(heads()).toBe(3);
    expect(r.stderr).toMatch(/503 ServerBusy .*\(tried 3 times over [\d.]+ s\)/);
    expect(r.stderr).not.toMatch(/retried already/);
  });

  it('500 → a hint that it is the service side, exit 3', async () => {
    proxy.setRules([{ match: (r) => r.method === 'HEAD', fault: { kind: 'status', status: 500 } }]);
    const r = await runCli(['inspect', blob], env());
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /Azure answered 500 InternalError .* — a failure on the service side, not in your request/,
    );
  });
});

describe('network classes', () => {
  it('a body cut mid-answer is named for what it is, not a timeout', async () => {
    proxy.setRules([{ match: (r) => r.url.includes('comp=tags'), fault: { kind: 'cut-body', afterBytes: 20 } }]);
    const r = await runCli(['inspect', blob, '--json'], env());
    // Tags are optional for inspect: the blob is shown and the note names the cut.
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).notes.join(' ')).toMatch(/connection closed before the whole answer arrived/);
    expect(r.stdout).not.toMatch(/within the --timeout/);
  });

  it('https to a plain-http port → one line about TLS and Azurite, no OpenSSL text, exit 3', async () => {
    const https = proxy.url.replace('http://', 'https://');
    const r = await runCli(['inspect', blob], env(https));
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/the TLS handshake failed — an https:\/\/ URL to a plain-http endpoint/);
    expect(r.stderr).not.toMatch(/ssl3_get_record|openssl/i);
  });

  it('a host that does not exist → host not found (DNS), exit 3', async () => {
    const r = await runCli([
      'inspect',
      `https://nosuch-cnm.invalid/${blob}`,
      '--account-key',
      DEV_KEY,
      '--account-name',
      DEV_ACCOUNT,
      // Not an Azure Storage host: the credential goes there only when --account-url confirms it.
      '--account-url',
      'https://nosuch-cnm.invalid',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/nosuch-cnm\.invalid: host not found \(DNS\)|DNS lookup/);
  });
});

describe('small ones', () => {
  it("an unknown option with commander's suggestion: one line, exit 2", async () => {
    const r = await runCli(['stats', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown option '--bogus' \(Did you mean --logs\?\)/);
  });

  it("a mistyped option's value is not echoed: it may be the key it was meant to carry", async () => {
    const key = 'c2VjcmV0LWFjY291bnQta2V5LXZhbHVlLTEyMzQ1Njc4OTA=';
    for (const typo of [`--acount-key=${key}`, `--saas=sv=1&sig=${key}`, `--key=${key}`]) {
      const r = await runCli(['inspect', 'c/b', typo, '--account-name', 'acct']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^cnm: unknown option '--[\w-]+=…'/);
      expect(r.stderr).not.toContain(key);
    }
  });

  it('a HAR entry with a header pair it cannot read: exit 2 naming the pair, not a verdict on a headerless request', async () => {
    const har = {
      log: {
        version: '1.2',
        entries: [
          {
            request: {
              method: 'PUT',
              url: `${fx.az.blobEndpoint}/${blob}`,
              headers: [{ name: 'If-Match', value: '"0x1"' }, { name: 'x-ms-lease-id' }],
            },
            response: { status: 412, headers: [{ name: 'x-ms-error-code', value: 'ConditionNotMet' }] },
          },
        ],
      },
    };
    const r = await runCli(['replay', file('bad-pair.har', JSON.stringify(har))], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /1 entry was skipped as invalid \(the first: line 1 log\.entries\.0\.request\.headers\.1\.value: /,
    );
  });

  it('a UTF-16 capture or jobs file is named as UTF-16, exit 2', async () => {
    const capture = JSON.stringify({ request: { method: 'GET', url: `${fx.az.blobEndpoint}/${blob}` } });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(capture, 'utf16le')]);
    for (const args of [
      ['replay', file('cap16.json', utf16)],
      ['preflight', file('jobs16.json', utf16)],
    ]) {
      const r = await runCli(args, env());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is UTF-16LE text; cnm reads UTF-8: convert it \(iconv -f UTF-16LE -t UTF-8/);
    }
  });

  it('diagnose counts a bad NDJSON line as replay does', async () => {
    const id = '470b9e55-201e-0137-5c45-cdd293000000';
    const url = `https://acct.blob.core.windows.net/cont/b.json`;
    const line = (rid: string, status: number) =>
      JSON.stringify({
        request: { method: 'PUT', url, headers: { 'if-match': '"0x1"' } },
        response: { status, headers: { 'x-ms-request-id': rid } },
      });
    const ndjson = file(
      'bad-line.ndjson',
      [line('11111111-0000-0000-0000-000000000000', 200), '{"request": {"method": "PUT", "url"', line(id, 412)].join(
        '\n',
      ),
    );
    const r = await runCli(['diagnose', '--request-id', id, '--logs', ndjson, '--json'], cleanEnv());
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.searched.skippedLines).toBe(1);
    expect(j.notes.join('\n')).toMatch(/bad-line\.ndjson:2: not a JSON object/);
  });

  it('captures without times on one hot blob: the writers list stays bounded and says what it left out', async () => {
    const id = 'cccccccc-0000-0000-0000-000000005000';
    const url = `https://acct.blob.core.windows.net/cont/hot.json`;
    const lines = Array.from({ length: 3000 }, (_, i) => {
      const rid = `cccccccc-0000-0000-0000-${String(i).padStart(12, '0')}`;
      return JSON.stringify({
        request: { method: 'PUT', url, headers: { 'if-match': '"0x1"' } },
        response: {
          status: i === 1500 ? 412 : 201,
          headers: { 'x-ms-request-id': i === 1500 ? id : rid, etag: `"0x${i}"` },
        },
      });
    });
    const r = await runCli(
      ['diagnose', '--request-id', id, '--logs', file('hot.ndjson', lines.join('\n')), '--json'],
      cleanEnv(),
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.writers.length).toBeLessThanOrEqual(200);
    expect(j.notes.join('\n')).toMatch(/\d+ more request\(s\) on this blob in the window are not listed/);
  });
});
