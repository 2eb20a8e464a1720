/** e2e: the real bin/cnm.js diagnose, against fixtures, a real Azurite race and (for Log Analytics) a loopback stand-in. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { realSdkLog } from '../helpers/real-captures.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const FX = new URL('../fixtures/diagnose/', import.meta.url).pathname;
const ID = '470b9e55-201e-0137-5c45-cdd293000000';
const dir = mkdtempSync(join(tmpdir(), 'cnm-diagnose-'));
const debugLog = join(dir, 'azurite-debug.log');
const fx = useAzurite({ debugLogPath: debugLog });
const container = uniqueName('diag');
const env = () => cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString });
const json = (s: string) => JSON.parse(s);

function oneLine(stderr: string) {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^cnm: /);
}

/** A real two-writer race: A reads, B writes, A writes with the ETag it read → 412. */
let race: { stale: string; current: string; failedId: string };
beforeAll(async () => {
  const c = fx.service.getContainerClient(container);
  await c.create();
  const blob = c.getBlockBlobClient('state.json');
  const stale = (await blob.upload('{"v":1}', 7)).etag!;
  const current = (await c.getBlockBlobClient('state.json').setMetadata({ writer: 'B' })).etag!;
  let failedId = '';
  try {
    await blob.setMetadata({ writer: 'A' }, { conditions: { ifMatch: stale } });
  } catch (err) {
    failedId = (err as { response: { headers: { get(n: string): string } } }).response.headers.get('x-ms-request-id');
  }
  race = { stale, current, failedId };
});

/** 1-based number of the first line of `file` containing every one of `texts`. */
function lineOf(file: string, texts: string[]): number {
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => texts.every((t) => l.includes(t))) + 1
  );
}

describe('cnm diagnose --logs, $logs and resource logs', () => {
  it('$logs file: finds the 412, If-Match date matched to the write, writers oldest first, exit 0', async () => {
    const r = await runCli(['diagnose', '--request-id', ID, '--logs', join(FX, 'race.log'), '--json']);
    expect(r.code).toBe(0);
    const j = json(r.stdout);
    expect(j).toMatchObject({
      command: 'diagnose',
      requestId: ID,
      // The report points at the log line of the failed request (where a person would look).
      source: { kind: 'analytics-log', line: lineOf(join(FX, 'race.log'), [ID, ';ConditionNotMet;412;']) },
      response: { status: 412, errorCode: 'ConditionNotMet' },
      cause: { code: 'stale-etag' },
    });
    expect(j.timeline.inferredEtag).toBe('"0x8DECE5F6A1B2C30"');
    expect(j.writers.map((w: { role: string }) => w.role)).toEqual([
      'produced-supplied-etag',
      'replaced-supplied-etag',
      'same-client-request',
    ]);
    expect(j.searched.skippedLines).toBe(2);
  });

  it('a folder in the $logs layout: files outside --since/--until are skipped by their hour', async () => {
    const args = ['diagnose', '--request-id', 'deadbeef-201e-0137-5c45-cdd293000000', '--logs', join(FX, 'logs')];
    expect((await runCli([...args, '--json'])).code).toBe(0);
    const bounded = await runCli([...args, '--since', '2026-11-24T17:00:00Z', '--until', '2026-11-24T19:00:00Z']);
    expect(bounded.code).toBe(4);
    oneLine(bounded.stderr);
    expect(bounded.stderr).toMatch(
      /1 skipped by their hour.*between 2026-11-24T17:00:00.000Z and 2026-11-24T19:00:00.000Z/,
    );
  });

  it('resource logs (y=/m=/d=/h= PT1H.json): Functions singleton lock recognised as expected contention', async () => {
    const r = await runCli([
      'diagnose',
      '--request-id',
      '7c7c7c7c-801e-001e-47f4-2c3e77000000',
      '--logs',
      join(FX, 'insights'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({
      cause: { code: 'stale-etag' },
      contention: { kind: 'functions-singleton', expected: true },
    });
  });

  it('$logs record lease operations but not their headers: a Break 7 ms before by another caller is certain, an Acquire 47 s before with no renew is likely', async () => {
    const run = async (id: string) =>
      json((await runCli(['diagnose', '--request-id', id, '--logs', join(FX, 'lease.log'), '--json'])).stdout);
    const broken = await run('a3a3a3a3-201e-0137-5c45-cdd293000000');
    expect(broken.origin).toMatchObject({
      kind: 'lease-broken',
      confidence: 'certain',
      by: { operation: 'BreakBlobLease', requestId: 'a2a2a2a2-201e-0137-5c45-cdd293000000', offsetSeconds: 0 },
    });
    expect(broken.origin.by.userAgent).toMatch(/^ops-script\/1\.0/);
    expect(broken.leases.map((l: { action: string; time: string }) => [l.action, l.time])).toEqual([
      ['acquire', '2026-11-24T18:00:00.100Z'],
      ['break', '2026-11-24T18:00:00.110Z'],
    ]);
    const expired = await run('b2b2b2b2-201e-0137-5c45-cdd293000000');
    expect(expired.origin).toMatchObject({
      kind: 'lease-expired',
      confidence: 'likely',
      by: { operation: 'AcquireBlobLease', offsetSeconds: -47 },
    });
    expect(expired.origin.wouldDecide).toMatch(/x-ms-lease-duration/);
    expect(expired.fix[0]).toMatch(/^Renew the lease well inside its duration/);
  });

  it('table and markdown render the ETag timeline', async () => {
    const t = await runCli(['diagnose', '--request-id', ID, '--logs', join(FX, 'race.log'), '--format', 'table']);
    expect(t.stdout).toMatch(/ETag timeline/);
    expect(t.stdout).toMatch(/✖ +18:00:00\.123 .* this request/);
    const m = await runCli(['diagnose', '--request-id', ID, '--logs', join(FX, 'race.log'), '--format', 'markdown']);
    expect(m.stdout).toMatch(/^### cnm diagnose: 412 ConditionNotMet/);
    expect(m.stdout).toMatch(/\| time \| Δ \| operation/);
  });
});

describe('cnm diagnose exit codes', () => {
  it('not found → exit 4, one line naming the sources and the time range', async () => {
    const r = await runCli(['diagnose', '--request-id', 'no-such-id', '--logs', join(FX, 'race.log')]);
    expect(r.code).toBe(4);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(
      /request no-such-id is in none of the sources searched \(.*race\.log: 1 file\(s\)\) at any time/,
    );
  });

  it('bad input → exit 2 naming the file', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"request": {"method": "PUT"}}');
    const r = await runCli(['diagnose', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json(:\d+)? request\.url: is required/);
    const w = await runCli(['diagnose', '--request-id', ID, '--logs', join(FX, 'race.log'), '--window', 'soon']);
    expect(w.code).toBe(2);
    expect((await runCli(['diagnose', '--request-id', ID])).code).toBe(2);
  });

  it('unreachable account → exit 3', async () => {
    const r = await runCli(
      [
        'diagnose',
        '--request-id',
        ID,
        '--analytics-logs',
        '--time',
        '2026-11-24T18:00:00Z',
        '--account-url',
        `http://127.0.0.1:9/${DEV_ACCOUNT}`,
        '--account-name',
        DEV_ACCOUNT,
        '--account-key',
        DEV_KEY,
        '--timeout',
        '2000',
      ],
      cleanEnv(),
      60_000,
    );
    expect(r.code).toBe(3);
    oneLine(r.stderr);
  }, 70_000);
});

describe('cnm diagnose of real races against Azurite', () => {
  it('Azurite --debug log: the ETag the client supplied, who replaced it, and the blob now', async () => {
    const r = await runCli(['diagnose', '--request-id', race.failedId, '--logs', debugLog, '--json'], env());
    expect(r.code).toBe(0);
    const j = json(r.stdout);
    expect(j).toMatchObject({
      source: { kind: 'azurite-log' },
      response: { status: 412 },
      cause: { code: 'stale-etag' },
      timeline: { supplied: race.stale, currentAtFailure: race.current },
    });
    expect(j.timeline.replacedBy.operation).toBe('SetBlobMetadata');
    expect(j.now).toMatchObject({ exists: true, etag: race.current });
    expect(JSON.stringify(j)).not.toMatch(/SharedKey devstoreaccount1:[^R]/);
    expect(j.replay).toMatch(/^cnm replay .*azurite-debug\.log --request-id /);
  });

  it('a real SDK log (AZURE_LOG_LEVEL=info) as the capture argument, no id needed', async () => {
    const log = await realSdkLog(dir, fx.az.connectionString, container, 'state.json', race.stale);
    const r = await runCli(['diagnose', log, '--json'], env());
    expect(r.code).toBe(0);
    const j = json(r.stdout);
    expect(j).toMatchObject({
      source: { kind: 'sdk-log' },
      response: { status: 412 },
      cause: { code: 'stale-etag' },
      request: { headers: { 'if-match': race.stale } },
    });
    expect(j.request.headers.authorization ?? 'REDACTED').toBe('REDACTED');
  });

  it('--analytics-logs lists only the hour prefixes and reads $logs-format blobs (Azurite has no $logs: uploaded to a container of that layout)', async () => {
    const logs = fx.service.getContainerClient(uniqueName('logs'));
    await logs.create();
    const body = readFileSync(join(FX, 'race.log'));
    await logs.getBlockBlobClient('blob/2026/11/24/1800/000000.log').upload(body, body.length, {
      metadata: { StartTime: '2026-11-24T17:58:00Z', EndTime: '2026-11-24T18:20:01Z', LogVersion: '2.0' },
    });
    await logs
      .getBlockBlobClient('blob/2026/11/24/1800/000001.log')
      .upload('x', 1, { metadata: { StartTime: '2026-11-24T18:50:00Z', EndTime: '2026-11-24T18:59:00Z' } });
    await logs.getBlockBlobClient('blob/2026/10/01/0000/000000.log').upload('x', 1);
    const r = await runCli(
      [
        'diagnose',
        '--request-id',
        ID,
        '--analytics-logs',
        '--analytics-container',
        logs.containerName,
        '--since',
        '2026-11-24T17:55:00Z',
        '--until',
        '2026-11-24T18:05:00Z',
        '--json',
      ],
      env(),
    );
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.stdout);
    expect(j).toMatchObject({
      requestId: ID,
      cause: { code: 'stale-etag' },
      source: { file: `${logs.containerName}/blob/2026/11/24/1800/000000.log` },
    });
    expect(j.searched.sources[0]).toMatch(/2 log blobs listed, 1 ruled out by StartTime\/EndTime/);
    const missing = await runCli(
      ['diagnose', '--request-id', ID, '--analytics-logs', '--time', '2026-11-24T18:00:00Z'],
      env(),
    );
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/\$logs container does not exist/);
  });
});
