import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlockBlobClient } from '@azure/storage-blob';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { harOf, realSdkLog, realStaleWrite } from '../helpers/real-captures.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-replay-'));
const fx = useAzurite({ debugLogPath: join(dir, 'azurite-debug.log') });
const container = uniqueName('replay');
const env = () => cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString });

let blob: BlockBlobClient;
let stale = '';
let current = '';
let capture: Record<string, any>;
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(async () => {
  const c = fx.service.getContainerClient(container);
  await c.create();
  blob = c.getBlockBlobClient('manifest.json');
  stale = (await blob.upload('{"v":1}', 7)).etag!;
  current = (await blob.upload('{"v":2}', 7)).etag!;
  capture = await realStaleWrite(blob, stale);
});

const json = (stdout: string) => JSON.parse(stdout);

describe('cnm replay of a real stale-ETag 412, every capture format', () => {
  it('capture JSON → stale-etag, supplied vs current, exit 1, nothing written', async () => {
    const r = await runCli(['replay', file('capture.json', JSON.stringify(capture)), '--json'], env());
    expect(r.code).toBe(1);
    const j = json(r.stdout);
    expect(j).toMatchObject({
      command: 'replay',
      mode: 'probe',
      verdict: 'would-fail',
      expected: { status: 412, errorCode: 'ConditionNotMet' },
    });
    expect(j.request.operation).toBe('SetBlobMetadata');
    expect(j.cause.code).toBe('stale-etag');
    expect(j.conditions).toContainEqual(
      expect.objectContaining({ header: 'if-match', supplied: stale, current, holds: false }),
    );
    expect(j.blob).toMatchObject({ exists: true, etag: current, container, name: 'manifest.json' });
    expect(j.fix.length).toBeGreaterThan(1);
    expect((await blob.getProperties()).etag).toBe(current);
  });

  it('HAR 1.2, entry chosen by --request-id → stale-etag, exit 1', async () => {
    const other = { ...capture, response: { status: 200, headers: { 'x-ms-request-id': 'unrelated' } } };
    const id = capture.response.headers['x-ms-request-id'];
    const r = await runCli(['replay', file('trace.har', harOf([other, capture])), '--request-id', id, '--json'], env());
    expect(r.code).toBe(1);
    expect(json(r.stdout)).toMatchObject({ cause: { code: 'stale-etag' }, request: { requestId: id } });
  });

  it("the Azure SDK's own AZURE_LOG_LEVEL=info log of a real 412 → stale-etag, exit 1", async () => {
    const log = await realSdkLog(dir, fx.az.connectionString, container, 'manifest.json', stale);
    const r = await runCli(['replay', log, '--json'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(json(r.stdout)).toMatchObject({ source: { kind: 'sdk-log' }, cause: { code: 'stale-etag' } });
  });

  it("Azurite's --debug log → the failed request found by content, exit 1", async () => {
    const r = await runCli(
      ['replay', join(dir, 'azurite-debug.log'), '--request-id', capture.response.headers['x-ms-request-id'], '--json'],
      env(),
    );
    expect(r.code).toBe(1);
    const j = json(r.stdout);
    expect(j.source.kind).toBe('azurite-log');
    expect(j.cause.code).toBe('stale-etag');
    expect(JSON.stringify(j)).not.toMatch(/SharedKey devstoreaccount1:[A-Za-z0-9+/=]{20}/);
  });

  it('several candidates: a note on stderr naming how to choose, silenced by -q', async () => {
    const two = `${JSON.stringify(capture)}\n${JSON.stringify(capture)}\n`;
    const loud = await runCli(['replay', file('two.ndjson', two), '--json'], env());
    expect(loud.stderr).toMatch(/2 candidate requests .* choose with --request-id/);
    const quiet = await runCli(['replay', file('two-q.ndjson', two), '--json', '-q'], env());
    expect(quiet.stderr).toBe('');
    expect(quiet.code).toBe(1);
  });

  it('NDJSON, one capture a line → the failed one, exit 1', async () => {
    const ok = {
      request: { ...capture.request, headers: {} },
      response: { status: 200, headers: { 'x-ms-request-id': 'fine' } },
    };
    const r = await runCli(
      [
        'replay',
        file('captures.ndjson', `${JSON.stringify(ok)}\n${JSON.stringify(capture)}\n`),
        '--request-id',
        capture.response.headers['x-ms-request-id'],
        '--json',
      ],
      env(),
    );
    expect(r.code).toBe(1);
    expect(json(r.stdout).source.kind).toBe('ndjson');
  });

  it('NDJSON with a malformed line: the good capture is replayed and the skipped line is noted', async () => {
    const r = await runCli(
      ['replay', file('broken.ndjson', `${JSON.stringify(capture)}\n{"request": nope\n`), '--json'],
      env(),
    );
    expect(r.code).toBe(1);
    expect(json(r.stdout).notes).toContainEqual(
      expect.stringMatching(/1 unreadable line\(s\) of .*broken\.ndjson skipped, the first at line 2/),
    );
  });

  it('a 412 whose conditions hold now → conditions-hold-now (a race), exit 0', async () => {
    const raced = {
      ...capture,
      request: { ...capture.request, headers: { ...capture.request.headers, 'if-match': current } },
    };
    const r = await runCli(['replay', file('raced.json', JSON.stringify(raced)), '--json'], env());
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ verdict: 'would-succeed', cause: { code: 'conditions-hold-now' } });
  });

  it("a tag named __proto__ is read as a tag (the SDK's getTags().tags drops it): x-ms-if-tags on it holds, exit 0", async () => {
    const tagged = fx.service.getContainerClient(container).getBlockBlobClient('tagged.json');
    const { etag } = await tagged.upload('{}', 2);
    await tagged.setTags(Object.fromEntries([['__proto__', 'y']]));
    const cap = {
      ...capture,
      request: {
        ...capture.request,
        url: capture.request.url.replace('manifest.json', 'tagged.json'),
        headers: { ...capture.request.headers, 'if-match': etag, 'x-ms-if-tags': `"__proto__" = 'y'` },
      },
    };
    const r = await runCli(['replay', file('proto-tag.json', JSON.stringify(cap)), '--json'], env());
    expect(r.code).toBe(0);
    const j = json(r.stdout);
    expect(j.verdict).toBe('would-succeed');
    expect(j.conditions).toContainEqual(
      expect.objectContaining({ header: 'x-ms-if-tags', current: '{"__proto__":"y"}', holds: true }),
    );
  });

  it('the table names the failing header, the cause and the fix', async () => {
    const r = await runCli(['replay', file('capture-t.json', JSON.stringify(capture))], env());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/if-match.*FAILS/);
    expect(r.stdout).toMatch(/cause: stale-etag/);
    expect(r.stdout).toMatch(/fix\n\s+1\. /);
  });
});

describe('cnm replay on leases', () => {
  it('a write without the lease id on a leased blob → lease-id-missing; a wrong id → lease-id-mismatch, via a read-only probe', async () => {
    const b = fx.service.getContainerClient(container).getBlockBlobClient('leased.json');
    const etag = (await b.upload('{}', 2)).etag!;
    await b.getBlobLeaseClient().acquireLease(-1);
    const base = { request: { method: 'PUT', url: b.url + '?comp=metadata', headers: { 'if-match': etag } } };
    const missing = await runCli(['replay', file('lease-missing.json', JSON.stringify(base)), '--json'], env());
    expect(missing.code).toBe(1);
    expect(json(missing.stdout).cause).toMatchObject({ code: 'lease-id-missing', errorCode: 'LeaseIdMissing' });
    const wrong = {
      request: {
        ...base.request,
        headers: { ...base.request.headers, 'x-ms-lease-id': '11111111-2222-3333-4444-555555555555' },
      },
    };
    const mismatch = await runCli(['replay', file('lease-wrong.json', JSON.stringify(wrong)), '--json'], env());
    expect(mismatch.code).toBe(1);
    expect(json(mismatch.stdout).cause).toMatchObject({
      code: 'lease-id-mismatch',
      errorCode: 'LeaseIdMismatchWithBlobOperation',
    });
    expect((await b.getProperties()).leaseState).toBe('leased');
  });
});

describe('cnm replay --execute and --refresh', () => {
  it('--execute re-sends once with your credentials and reports the real 412, exit 1, blob unchanged', async () => {
    const before = (await blob.getProperties()).etag;
    const r = await runCli(['replay', file('exec.json', JSON.stringify(capture)), '--execute', '--json'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^cnm: sending once, signed with AZURE_STORAGE_CONNECTION_STRING: PUT /);
    expect(json(r.stdout)).toMatchObject({ mode: 'execute', actual: { status: 412, errorCode: 'ConditionNotMet' } });
    expect((await blob.getProperties()).etag).toBe(before);
  });

  it('--refresh alone shows the refreshed If-Match and writes nothing', async () => {
    const before = (await blob.getProperties()).etag;
    const r = await runCli(['replay', file('refresh.json', JSON.stringify(capture)), '--refresh', '--json'], env());
    const j = json(r.stdout);
    expect(j.refresh.changes).toContainEqual(expect.objectContaining({ header: 'if-match', from: stale, to: before }));
    expect(j.mode).toBe('probe');
    expect((await blob.getProperties()).etag).toBe(before);
  });

  it('--refresh --execute sends the read-refresh-write version once and it succeeds, exit 0', async () => {
    const before = (await blob.getProperties()).etag;
    const r = await runCli(
      ['replay', file('refresh-exec.json', JSON.stringify(capture)), '--refresh', '--execute', '--json'],
      env(),
    );
    expect(r.code).toBe(0);
    expect(json(r.stdout).actual.status).toBe(200);
    expect((await blob.getProperties()).etag).not.toBe(before);
  });

  it('--execute of a Put Blob that carried a body, without --body → exit 2 and nothing written', async () => {
    const before = (await blob.getProperties()).etag;
    const put = {
      request: {
        method: 'PUT',
        url: blob.url,
        headers: { 'if-match': stale, 'x-ms-blob-type': 'BlockBlob', 'content-length': '7' },
      },
    };
    const r = await runCli(['replay', file('put.json', JSON.stringify(put)), '--execute'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--body/);
    expect((await blob.getProperties()).etag).toBe(before);
  });
});

describe('cnm replay: bad input and unreachable service', () => {
  it.each([
    ['invalid JSON', 'bad.json', '{\n  "request": {\n    "method": "PUT",\n  }\n}', /bad\.json:\d+/],
    ['no request.url', 'nourl.json', '{"request":{"method":"PUT"}}', /request\.url/],
    ['an empty file', 'empty.json', '', /empty/],
  ])('%s → exit 2 naming the file and place, one line', async (_l, name, content, pattern) => {
    const r = await runCli(['replay', file(name, content)], env());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  });

  it('--body without --execute → exit 2 (nothing is sent without --execute)', async () => {
    const r = await runCli(
      ['replay', file('body.json', JSON.stringify(capture)), '--body', file('content.txt', 'x')],
      env(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--body is sent only with --execute/);
  });

  it('a create into a container that does not exist → 404 ContainerNotFound, would fail', async () => {
    const cap = {
      request: {
        method: 'PUT',
        url: capture.request.url.replace(container, 'no-such-container').replace('?comp=metadata', ''),
        headers: { 'if-none-match': '*', 'x-ms-blob-type': 'BlockBlob' },
      },
    };
    const r = await runCli(['replay', file('nocontainer.json', JSON.stringify(cap)), '--json'], env());
    expect(r.code).toBe(1);
    expect(json(r.stdout)).toMatchObject({
      verdict: 'would-fail',
      expected: { status: 404, errorCode: 'ContainerNotFound' },
    });
  });

  it('markdown keeps its backticks around a URL whose SAS was redacted', async () => {
    const cap = {
      ...capture,
      request: { ...capture.request, url: `${capture.request.url}&sv=2025-01-05&sig=abcSECRET%2Bdef` },
    };
    const r = await runCli(['replay', file('md.json', JSON.stringify(cap)), '--format', 'markdown'], env());
    expect(r.stdout).toMatch(/sig=REDACTED` \(SetBlobMetadata\)/);
    expect(r.stdout).not.toContain('abcSECRET');
  });

  it('x-ms-if-tags with bad syntax → exit 2 naming the header, not a finding', async () => {
    const cap = {
      ...capture,
      request: { ...capture.request, headers: { ...capture.request.headers, 'x-ms-if-tags': `"env" = 'prod' AND` } },
    };
    const r = await runCli(['replay', file('badtags.json', JSON.stringify(cap))], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/badtags\.json request\.headers\.x-ms-if-tags: x-ms-if-tags is not a valid tag condition/);
  });

  it('a captured ?comp=metadata URL is not mistaken for a SAS: --account-key signs the probe', async () => {
    const r = await runCli(
      [
        'replay',
        file('keyed.json', JSON.stringify(capture)),
        '--account-name',
        DEV_ACCOUNT,
        '--account-key',
        DEV_KEY,
        '--json',
      ],
      cleanEnv(),
    );
    expect(r.code).toBe(1);
    expect(json(r.stdout).cause.code).toBe('stale-etag');
  });

  it('a missing file → exit 2', async () => {
    const r = await runCli(['replay', join(dir, 'nope.json')], env());
    expect(r.code).toBe(2);
  });

  it('a capture whose URL names no blob: exit 2 naming the file and request.url, nothing sent', async () => {
    const cap = { request: { method: 'PUT', url: `${fx.az.blobEndpoint}/c/b.json?comp=metadata`, headers: {} } };
    const r = await runCli(['replay', file('short-container.json', JSON.stringify(cap))], env());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/short-container\.json request\.url: "c" is not a valid container name/);
    expect(r.stderr).not.toMatch(/use a blob URL or <container>\/<name>/);
  });

  it('a capture for an endpoint that refuses connections → exit 3', async () => {
    const cap = {
      request: {
        method: 'PUT',
        url: `http://127.0.0.1:1/${DEV_ACCOUNT}/ctr1/b.json?comp=metadata`,
        headers: { 'if-match': '"0x1"' },
      },
    };
    const r = await runCli(
      ['replay', file('refused.json', JSON.stringify(cap)), '--account-key', DEV_KEY, '--timeout', '1000'],
      cleanEnv(),
    );
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain(DEV_KEY);
  });
});

describe('cnm replay of a copy whose source is in another account', () => {
  it('a source that never answers is given up within --timeout, its SAS never printed; the rest is judged', async () => {
    // A listener that accepts and never answers: the copy source's account hangs.
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const sig = 'c291cmNlLXNhcy1zZWNyZXQ%3D';
    const cap = {
      request: {
        method: 'PUT',
        url: blob.url,
        headers: {
          'x-ms-copy-source': `http://127.0.0.1:${port}/other/src/b.json?sv=2025-01-05&sr=b&sig=${sig}`,
          'x-ms-source-if-match': '"0x1"',
          'if-match': stale,
        },
      },
    };
    try {
      const started = Date.now();
      const r = await runCli(
        ['replay', file('copy-hang.json', JSON.stringify(cap)), '--timeout', '1500', '--json'],
        env(),
        30_000,
      );
      // The SDK's own client waited out 4 tries from a 4 s base delay, whatever --timeout said.
      expect(Date.now() - started).toBeLessThan(12_000);
      expect(r.code).toBe(1);
      const j = json(r.stdout);
      expect(j.expected).toEqual({ status: 412, errorCode: 'TargetConditionNotMet' });
      expect(j.notes.join(' ')).toMatch(/copy source not readable/);
      expect(r.stdout + r.stderr).not.toContain(sig);
    } finally {
      silent.close();
    }
  }, 40_000);
});

describe('cnm replay never prints a secret from a capture', () => {
  const secrets = {
    auth: 'SharedKey devstoreaccount1:c2VjcmV0LXNpZ25hdHVyZS0xMjM0NTY3ODkw',
    sig: 'SeCrEtSiGnAtUrE%2Babc%3D',
    copyAuth: 'Bearer eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl',
    cookie: 'session=top-secret-cookie-value',
  };
  it.each(['json', 'table', 'markdown'])('format %s', async (format) => {
    const cap = {
      request: {
        ...capture.request,
        url: `${capture.request.url}&sv=2025-01-05&sig=${secrets.sig}`,
        headers: {
          ...capture.request.headers,
          authorization: secrets.auth,
          'x-ms-copy-source-authorization': secrets.copyAuth,
          cookie: secrets.cookie,
        },
      },
      response: capture.response,
    };
    const r = await runCli(
      ['replay', file(`secret-${format}.json`, JSON.stringify(cap)), '--format', format, '--refresh', '--debug'],
      env(),
    );
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    for (const s of [
      secrets.auth,
      secrets.sig,
      decodeURIComponent(secrets.sig),
      secrets.copyAuth,
      secrets.cookie,
      'c2VjcmV0LXNpZ25hdHVyZS0xMjM0NTY3ODkw',
      'c2VjcmV0LXRva2Vu',
    ]) {
      expect(out).not.toContain(s);
    }
  });
});
