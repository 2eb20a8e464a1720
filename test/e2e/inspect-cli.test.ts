import { createServer, type Server, type Socket } from 'node:net';
import { BlobSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { CNM, cleanEnv, runCli } from '../helpers/run-cli.js';
import { spawn } from 'node:child_process';

const fx = useAzurite();
const container = uniqueName('e2e');
const env = () => cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString });

/** A loopback port that accepts connections and never answers: the shape of a hung endpoint. */
let silent: Server;
let silentPort = 0;
const sockets: Socket[] = [];

beforeAll(async () => {
  const c = fx.service.getContainerClient(container);
  await c.create();
  const b = c.getBlockBlobClient('manifest.json');
  await b.upload('{}', 2);
  await b.getBlobLeaseClient().acquireLease(-1);
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
});

function oneLine(stderr: string) {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^cnm: /);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('cnm inspect, the real binary', () => {
  it('prints the table with ETag and the lease reading, exit 0', async () => {
    const r = await runCli(['inspect', `${container}/manifest.json`], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ETag\s+│ "0x[0-9A-F]+"/);
    expect(r.stdout).toMatch(/leased, infinite: every write must send x-ms-lease-id/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('--json carries the SPEC keys with the quoted ETag', async () => {
    const r = await runCli(['inspect', `${container}/manifest.json`, '--json'], env());
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ command: 'inspect', exists: true, blob: { container, name: 'manifest.json' } });
    expect(j.etag).toMatch(/^"0x[0-9A-F]+"$/);
    for (const key of [
      'lastModified',
      'lease',
      'contentLength',
      'contentType',
      'blobType',
      'metadata',
      'tags',
      'versionId',
      'isCurrentVersion',
      'version',
    ]) {
      expect(j).toHaveProperty(key);
    }
    expect(j.lease).toEqual({ state: 'leased', status: 'locked', duration: 'infinite' });
  });

  it('--format markdown prints a markdown table', async () => {
    const r = await runCli(['inspect', `${container}/manifest.json`, '--format', 'markdown'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^### Blob /);
    expect(r.stdout).toMatch(/\| lease state \| `leased` \|/);
  });

  it('FORCE_COLOR colours the table; --no-color wins over it', async () => {
    const coloured = await runCli(['inspect', `${container}/manifest.json`], {
      ...env(),
      NO_COLOR: undefined,
      FORCE_COLOR: '1',
    });
    expect(coloured.stdout).toMatch(/\x1b\[/);
    const plain = await runCli(['inspect', `${container}/manifest.json`, '--no-color'], {
      ...env(),
      NO_COLOR: undefined,
      FORCE_COLOR: '1',
    });
    expect(plain.stdout).not.toMatch(/\x1b\[/);
  });

  it('a missing blob → exit 4, exists false, and the SPEC keys present as null', async () => {
    const r = await runCli(['inspect', `${container}/missing.json`, '--json'], env());
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({
      exists: false,
      containerExists: true,
      etag: null,
      lastModified: null,
      lease: null,
    });
  });

  it('--format junit is for preflight only: exit 2 on inspect', async () => {
    const r = await runCli(['inspect', `${container}/manifest.json`, '--format', 'junit'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format junit is for preflight, not inspect/);
    expect(r.stdout).toBe('');
  });

  it('a connection string that is not key=value never echoes its content (it may be the key)', async () => {
    const keyLike = DEV_KEY.replace(/=+$/, '');
    const r = await runCli(
      ['inspect', `${container}/manifest.json`],
      cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: `AccountName=devstoreaccount1;${keyLike}` }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/connection string part 2 of 2 is not key=value/);
    expect(r.stderr).not.toContain(keyLike.slice(0, 12));
  });

  it('a connection string with a BlobEndpoint that is not a URL → exit 2, not an internal error', async () => {
    const r = await runCli(
      [
        'inspect',
        `${container}/manifest.json`,
        '--connection-string',
        `AccountName=a;AccountKey=${DEV_KEY};BlobEndpoint=not a url`,
      ],
      cleanEnv(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/BlobEndpoint is not a URL/);
  });

  it('subcommand --help lists the global options too', async () => {
    const r = await runCli(['inspect', '--help'], cleanEnv());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--connection-string/);
    expect(r.stdout).toMatch(/--format/);
  });

  it('a missing container → exit 4', async () => {
    const r = await runCli(['inspect', 'no-such-container/x.json'], env());
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/ContainerNotFound/);
  });

  it('a wrong account key → exit 3, one line, no stack, the key never printed', async () => {
    const key = Buffer.from('definitely-not-the-key-0123456789').toString('base64');
    const r = await runCli(
      [
        'inspect',
        `${container}/manifest.json`,
        '--account-name',
        DEV_ACCOUNT,
        '--account-key',
        key,
        '--account-url',
        fx.az.blobEndpoint,
      ],
      cleanEnv(),
    );
    expect(r.code).toBe(3);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/: 403 \w+ \(x-ms-request-id [0-9a-f-]{36}\): access denied/);
    expect(r.stderr + r.stdout).not.toContain(key);
  });

  it('connection refused → exit 3, one line naming it', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const r = await runCli(
      [
        'inspect',
        `http://127.0.0.1:${closed}/${DEV_ACCOUNT}/ctr1/b.json`,
        '--account-key',
        DEV_KEY,
        '--timeout',
        '2000',
      ],
      cleanEnv(),
    );
    expect(r.code).toBe(3);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/connection refused \(ECONNREFUSED\)/);
    expect(r.stderr).not.toContain(DEV_KEY);
  });

  it('an endpoint that never answers → exit 3 after --timeout, one line', async () => {
    const r = await runCli(
      [
        'inspect',
        `http://127.0.0.1:${silentPort}/${DEV_ACCOUNT}/ctr1/b.json`,
        '--account-key',
        DEV_KEY,
        '--timeout',
        '300',
      ],
      cleanEnv(),
      // Killed (code -1) if it does not give up by itself: --timeout, not this bound, must end it.
      20_000,
    );
    expect(r.code).toBe(3);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/timeout|no answer/i);
  });

  it('Ctrl-C while waiting on the service → exit 130, one line', async () => {
    const child = spawn(
      process.execPath,
      [CNM, 'inspect', `http://127.0.0.1:${silentPort}/${DEV_ACCOUNT}/ctr1/b.json`, '--account-key', DEV_KEY],
      { env: cleanEnv() },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(code).toBe(130);
    expect(stderr.trim()).toBe('cnm: interrupted');
  });

  it.each([
    ['a malformed URL', ['inspect', 'https://']],
    ['a bad container name', ['inspect', 'Bad_Name/x']],
    ['a container without a blob', ['inspect', 'only-container']],
    ['an unknown flag', ['inspect', 'ctr1/x', '--frobnicate']],
    ['a non-numeric --timeout', ['inspect', 'ctr1/x', '--timeout', 'soon']],
    ['an unknown format', ['inspect', 'ctr1/x', '--format', 'yaml']],
  ])('%s → exit 2, one line, nothing sent', async (_label, args) => {
    const r = await runCli(args, env());
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stdout).toBe('');
  });

  it('--debug traces HTTP on stderr with the SAS sig and Authorization redacted', async () => {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: container,
        blobName: 'manifest.json',
        permissions: BlobSASPermissions.parse('rt'),
        expiresOn: new Date(Date.now() + 3600_000),
      },
      new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY),
    );
    const sig = sas.signature;
    const url = `${fx.az.blobEndpoint}/${container}/manifest.json?${sas.toString()}`;
    const r = await runCli(['inspect', url, '--debug', '--json'], cleanEnv());
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/→ HEAD /);
    expect(r.stderr).toMatch(/sig=REDACTED/);
    const all = r.stdout + r.stderr;
    expect(all).not.toContain(sig);
    expect(all).not.toContain(encodeURIComponent(sig));
  });

  it('a SAS that may read but not read tags → the blob is shown, tags "not readable" with a note, exit 0', async () => {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: container,
        blobName: 'manifest.json',
        permissions: BlobSASPermissions.parse('r'),
        expiresOn: new Date(Date.now() + 3600_000),
      },
      new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY),
    );
    const r = await runCli(
      ['inspect', `${fx.az.blobEndpoint}/${container}/manifest.json?${sas.toString()}`, '--json'],
      cleanEnv(),
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.tags).toBeNull();
    expect(j.notes).toContainEqual(expect.stringMatching(/^tags not readable: Get Blob Tags answered 403/));
  });

  it('--debug with a shared key never prints the key or the Authorization header', async () => {
    const r = await runCli(
      ['inspect', `${container}/manifest.json`, '--debug', '--connection-string', fx.az.connectionString],
      cleanEnv(),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/→ HEAD /);
    expect(r.stdout + r.stderr).not.toContain(DEV_KEY);
    expect(r.stdout + r.stderr).not.toMatch(/SharedKey devstoreaccount1:[A-Za-z0-9+/=]{20}/);
  });

  it('--debug on a failure adds the stack, still redacted', async () => {
    const r = await runCli(
      [
        'inspect',
        `http://127.0.0.1:1/${DEV_ACCOUNT}/ctr1/b.json`,
        '--account-key',
        DEV_KEY,
        '--debug',
        '--timeout',
        '1000',
      ],
      cleanEnv(),
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain(DEV_KEY);
  });
});
