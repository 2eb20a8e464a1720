import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_KEY } from '../../src/core/connection-string.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const fx = useAzurite();
const container = uniqueName('pfe');
const env = (extra: Record<string, string> = {}) =>
  cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString, ...extra });
let dir = '';
let freshFile = '';
let staleFile = '';

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cnm-pfe-'));
  const c = fx.service.getContainerClient(container);
  await c.create();
  const etag = (await c.getBlockBlobClient('manifest.json').upload('{}', 2)).etag!;
  freshFile = await write(
    'fresh.ndjson',
    [
      JSON.stringify({ id: 'deploy', blob: `${container}/manifest.json`, ifMatch: etag }),
      JSON.stringify({ id: 'create', blob: `${container}/new.json`, ifNoneMatch: '*' }),
    ].join('\n'),
  );
  staleFile = await write(
    'stale.json',
    JSON.stringify(
      [
        { id: 'deploy', blob: `${container}/manifest.json`, ifMatch: etag },
        { id: 'worker-7', blob: `${container}/manifest.json`, ifMatch: '"0x8DC0000000000A"' },
      ],
      null,
      2,
    ),
  );
});

describe('cnm preflight, the real binary', () => {
  it('every job fresh → exit 0, table on stdout', async () => {
    const r = await runCli(['preflight', freshFile], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/all fresh: 2 jobs: 2 fresh, 0 stale, 0 not checked/);
    expect(r.stderr).toBe('');
  });

  it('a stale job → exit 1; --json carries jobs[] and summary', async () => {
    const r = await runCli(['preflight', staleFile, '--json'], env());
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ command: 'preflight', summary: { total: 2, fresh: 1, stale: 1, errors: 0 } });
    expect(j.jobs[1]).toMatchObject({
      id: 'worker-7',
      blob: `${container}/manifest.json`,
      verdict: 'stale',
      cause: { code: 'stale-etag', errorCode: 'ConditionNotMet' },
    });
    expect(j.jobs[1].conditions[0]).toMatchObject({ header: 'if-match', supplied: '"0x8DC0000000000A"', holds: false });
    expect(j.jobs[0]).toMatchObject({ id: 'deploy', verdict: 'fresh' });
    expect(j.jobs[0].cause).toBeUndefined();
  });

  it('--format markdown → a PR comment; --format junit → JUnit XML with a failure per stale job', async () => {
    const md = await runCli(['preflight', staleFile, '--format', 'markdown'], env());
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(/^### :x: cnm preflight: 2 jobs: 1 fresh, 1 stale/);
    const xml = await runCli(['preflight', staleFile, '--format', 'junit'], env());
    expect(xml.code).toBe(1);
    expect(xml.stdout).toMatch(/^<\?xml/);
    expect(xml.stdout.match(/<testcase /g)).toHaveLength(2);
    expect(xml.stdout).toMatch(/<failure type="stale-etag"/);
  });

  it('GITHUB_ACTIONS=true → ::error annotations after the table on stdout; with junit and markdown they go to stderr and the report stays clean', async () => {
    const table = await runCli(['preflight', staleFile], env({ GITHUB_ACTIONS: 'true' }));
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(
      new RegExp(
        `\\n::error file=${staleFile.replace(/[/.]/g, '\\$&')},line=7,title=cnm preflight%3A job worker-7 is stale \\(stale-etag\\)::`,
      ),
    );
    const xml = await runCli(['preflight', staleFile, '--format', 'junit'], env({ GITHUB_ACTIONS: 'true' }));
    expect(xml.stdout).not.toMatch(/::error/);
    expect(xml.stdout.trimEnd().endsWith('</testsuites>')).toBe(true);
    expect(xml.stderr).toMatch(/^::error file=/m);
    const md = await runCli(['preflight', staleFile, '--format', 'markdown'], env({ GITHUB_ACTIONS: 'true' }));
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(/^### :x: cnm preflight/);
    expect(md.stdout).not.toMatch(/::error/);
    expect(md.stderr).toMatch(/^::error file=.*job worker-7 is stale/m);
    const plain = await runCli(['preflight', staleFile], env());
    expect(plain.stdout).not.toMatch(/::error/);
  });

  it.each([
    [
      'a field of the wrong type',
      '[\n  {"blob": "ctr/a.json"},\n  {"blob": "ctr/b.json", "ifMatch": 42}\n]',
      /bad\.json:3 \[1\]\.ifMatch: must be an ETag string/,
    ],
    [
      'an unknown key',
      '{"blob": "ctr/a.json", "ifMach": "x"}\n',
      /bad\.json:1 : unknown key "ifMach"|bad\.json:1: unknown key "ifMach"/,
    ],
    ['invalid JSON', '[\n {"blob": "ctr/a.json"},\n {"blob": ]', /bad\.json:3: not valid JSON/],
  ])('%s → exit 2, one line naming file, line and JSON path, nothing on stdout', async (_label, text, message) => {
    const file = await write('bad.json', text);
    const r = await runCli(['preflight', file], env());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it.each([
    ['0 bytes', ''],
    ['whitespace only', '  \n\n'],
  ])(
    'an empty jobs file (%s) → exit 2, one line "<file>: the jobs file is empty", nothing on stdout',
    async (_label, text) => {
      const file = await write('empty.json', text);
      const r = await runCli(['preflight', file, '--json'], env());
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`${file}: the jobs file is empty`);
    },
  );

  it('an empty folder, or a folder whose files hold no request to check → exit 2, not an empty passing gate', async () => {
    const empty = await mkdtemp(join(dir, 'empty-'));
    const r = await runCli(['preflight', empty, '--json'], env());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${empty}: the folder holds no capture files`);
    const quiet = await mkdtemp(join(dir, 'quiet-'));
    const entry = {
      request: { method: 'GET', url: 'https://acct.blob.core.windows.net/c/b', headers: [] },
      response: { status: 200, headers: [] },
    };
    await writeFile(join(quiet, 'ok.har'), JSON.stringify({ log: { version: '1.2', entries: [entry] } }));
    const q = await runCli(['preflight', quiet, '--json'], env());
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(
      new RegExp(`${quiet.replace(/[/.]/g, '\\$&')}: no request to check in the folder's 1 file`),
    );
  });

  it('a job whose blob has no account (a SAS but no account URL) → exit 2, one line naming file, line, JSON path and job', async () => {
    const file = await write(
      'no-account.json',
      '[\n  {"blob": "https://acct.blob.core.windows.net/ctr/a.json"},\n  {"id": "second", "blob": "ctr/b.json"},\n  {"blob": "ctr/c.json"}\n]',
    );
    const r = await runCli(
      ['preflight', file, '--json'],
      cleanEnv({ AZURE_STORAGE_SAS_TOKEN: 'sv=2025-01-05&sig=c2VjcmV0' }),
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`cnm: ${file}:3 [1].blob: no storage account given (job second) — pass a full blob URL`);
  });

  it('a capture in a folder whose URL is no blob → exit 2, naming the capture file and request.url', async () => {
    const folder = await mkdtemp(join(dir, 'bad-url-'));
    const capture = {
      request: {
        method: 'PUT',
        url: 'https://acct.blob.core.windows.net/Bad_Name/x.json',
        headers: { 'If-Match': '"0x1"' },
      },
      response: { status: 412 },
    };
    await writeFile(join(folder, 'root.json'), JSON.stringify(capture));
    const r = await runCli(['preflight', folder, '--json'], env());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      new RegExp(`^cnm: ${join(folder, 'root.json').replace(/[/.]/g, '\\$&')} request\\.url: .*\\(job root\\.json\\)`),
    );
  });

  it('a missing jobs file → exit 2', async () => {
    const r = await runCli(['preflight', join(dir, 'nope.json')], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.json: no such file or folder/);
  });

  it('a blob that cannot be read (wrong key → 403) → the job is "error", the report still prints, exit 3', async () => {
    const key = Buffer.from('definitely-not-the-key-0123456789').toString('base64');
    const conn = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};BlobEndpoint=${fx.az.blobEndpoint};`;
    const r = await runCli(['preflight', staleFile, '--json'], cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: conn }));
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.summary).toEqual({ total: 2, fresh: 0, stale: 0, errors: 2 });
    expect(j.jobs[0]).toMatchObject({ verdict: 'error', error: { code: 'auth' } });
    expect(r.stdout + r.stderr).not.toContain(key);
  });

  it('service unreachable → exit 3, one line, no report', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const conn = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEV_KEY};BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
    const r = await runCli(
      ['preflight', staleFile, '--timeout', '2000'],
      cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: conn }),
    );
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/connection refused \(ECONNREFUSED\)/);
    expect(r.stderr).not.toContain(DEV_KEY);
  });
});
