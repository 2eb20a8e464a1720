/**
 * The origin of a failed condition, proven on real races: seven stories played against a real Azurite by the
 * real SDK (in a process of their own, logging at AZURE_LOG_LEVEL=info), through a recording proxy (HAR and
 * NDJSON captures of every attempt) and the fault proxy (a response lost after Azurite committed the write).
 * Each failure is then diagnosed from every source that can show it: Azurite's --debug log, the SDK log, the
 * HAR, the NDJSON captures, and `$logs` 1.0/2.0 lines and resource-log records written from the same events.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/commands/diagnose.js';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import type { DiagnoseReport } from '../../src/core/diagnose/types.js';
import { startFaultProxy } from '../../src/testing/fault-proxy.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { testContext } from '../helpers/context.js';
import { harOf } from '../helpers/real-captures.js';
import { startRecordingProxy, type RecordedCapture } from '../helpers/recording-proxy.js';
import { analyticsLog, resourceLog, servedRequests } from '../helpers/service-log-lines.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-origin-'));
const debugLog = join(dir, 'azurite-debug.log');
const fx = useAzurite({ debugLogPath: debugLog });
const STORIES = fileURLToPath(new URL('../helpers/origin-stories.mjs', import.meta.url));

interface Failed {
  status: number;
  errorCode: string;
  requestId: string;
  clientRequestId: string;
}
interface Stories {
  expired: { failed: Failed; acquireId: string; leaseId: string };
  broken: { failed: Failed; acquireId: string; breakId: string; leaseId: string };
  released: { failed: Failed; acquireId: string; releaseId: string; leaseId: string };
  lost: { failed: Failed; etag: string };
  reused: { failed: Failed; firstId: string; etag: string };
  twoWorkers: { failed: Failed; writerId: string };
  sameSecond: { failed: Failed; xId: string; yId: string; y2Id: string; etag: string };
}

/** Sources that record headers (lease ids, durations, the exact If-Match), and the service logs, which do not. */
const HEADER_SOURCES = ['azurite-log', 'sdk-log', 'har', 'ndjson'] as const;
const SERVICE_LOGS = ['analytics-1.0', 'analytics-2.0', 'resource-log'] as const;
type Source = (typeof HEADER_SOURCES)[number] | (typeof SERVICE_LOGS)[number];
const ALL: Source[] = [...HEADER_SOURCES, ...SERVICE_LOGS];

let ids: Stories;
const files = {} as Record<Source, string>;

function playStories(endpoint: string, container: string, out: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [STORIES], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        AZURE_LOG_LEVEL: 'info',
        ENDPOINT: endpoint,
        ACCOUNT: DEV_ACCOUNT,
        KEY: DEV_KEY,
        CONTAINER: container,
        OUT: out,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stderr.on('data', (d) => (log += d));
    child.stdout.on('data', (d) => (log += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(log) : reject(new Error(`stories exited ${code}: ${log.slice(-800)}`)),
    );
  });
}

/** Azurite's logger writes asynchronously: wait until every failure's response line is in the file. */
async function flushed(requestIds: string[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const text = readFileSync(debugLog, 'utf8');
    if (requestIds.every((id) => new RegExp(`${id} \\w+: EndMiddleware`).test(text))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('Azurite did not log every failure');
}

function ndjson(captures: RecordedCapture[]): string {
  return captures.map((c) => JSON.stringify(c)).join('\n') + '\n';
}

beforeAll(async () => {
  const fault = await startFaultProxy(new URL(fx.az.blobEndpoint).origin, [
    {
      match: (r) => r.method === 'PUT' && r.url.includes('/lost.json') && r.headers['if-match'] !== undefined,
      fault: { kind: 'reset-after' },
      times: 1,
    },
  ]);
  const recorder = await startRecordingProxy(fault.url);
  const out = join(dir, 'stories.json');
  try {
    files['sdk-log'] = join(dir, 'sdk.log');
    writeFileSync(files['sdk-log'], await playStories(`${recorder.url}/${DEV_ACCOUNT}`, uniqueName('origin'), out));
  } finally {
    await recorder.close();
    await fault.close();
  }
  ids = JSON.parse(readFileSync(out, 'utf8'));
  await flushed(Object.values(ids).map((s: { failed: Failed }) => s.failed.requestId));
  files['azurite-log'] = debugLog;
  const withResponse = recorder.captures.map((c) => ({ ...c, response: c.response ?? { status: 0, headers: {} } }));
  files.har = join(dir, 'recorded.har');
  writeFileSync(files.har, harOf(withResponse));
  files.ndjson = join(dir, 'recorded.ndjson');
  writeFileSync(files.ndjson, ndjson(recorder.captures));
  const served = servedRequests(debugLog);
  for (const [source, text] of [
    ['analytics-1.0', analyticsLog(served, '1.0')],
    ['analytics-2.0', analyticsLog(served, '2.0')],
    ['resource-log', resourceLog(served)],
  ] as const) {
    files[source] = join(dir, `${source}.log`);
    writeFileSync(files[source], text);
  }
}, 120_000);

async function diagnosed(source: Source, id: string): Promise<DiagnoseReport> {
  return diagnose(undefined, { requestId: id, logs: [files[source]], window: '5m' }, testContext({}));
}

const isHeaderSource = (s: Source) => (HEADER_SOURCES as readonly string[]).includes(s);

describe('1. a lease acquired for 15 s, written after it ran out → lease-expired', () => {
  it.each(ALL)('from %s', async (source) => {
    const r = await diagnosed(source, ids.expired.failed.requestId);
    expect(r.response).toMatchObject({ status: 412, errorCode: 'LeaseNotPresentWithBlobOperation' });
    expect(r.origin).toMatchObject({
      kind: 'lease-expired',
      // The duration is in the Acquire's headers; service logs record the Acquire but not its 15 s.
      confidence: isHeaderSource(source) ? 'certain' : 'likely',
      by: { operation: 'AcquireBlobLease', requestId: ids.expired.acquireId },
    });
    expect(r.origin.by!.userAgent).toMatch(/^worker-e\/1\.0 /);
    expect(r.leases.map((l) => l.action)).toEqual(['acquire']);
    if (isHeaderSource(source)) expect(r.leases[0]).toMatchObject({ leaseId: ids.expired.leaseId, duration: 15 });
    else {
      expect(r.leases[0]).not.toHaveProperty('duration');
      expect(r.origin.wouldDecide).toMatch(/AZURE_LOG_LEVEL=info/);
    }
    expect(r.fix[0]).toMatch(/Renew the lease well inside its duration/);
  });
});

describe('2. a lease broken by another client → lease-broken, naming it', () => {
  it.each(ALL)('from %s', async (source) => {
    const r = await diagnosed(source, ids.broken.failed.requestId);
    expect(r.origin).toMatchObject({
      kind: 'lease-broken',
      confidence: 'certain',
      by: { operation: 'BreakBlobLease', requestId: ids.broken.breakId },
    });
    expect(r.origin.by!.userAgent).toMatch(/^ops-script\/1\.0 /);
    expect(r.leases.map((l) => [l.action, l.status])).toEqual([
      ['acquire', 201],
      ['break', 202],
    ]);
    if (isHeaderSource(source)) expect(r.leases[1]).toMatchObject({ breakPeriod: 0 });
    // The x-ms-lease-id condition is judged from the lease timeline, not left unknown.
    if (isHeaderSource(source))
      expect(r.conditions.find((c) => c.header === 'x-ms-lease-id')).toMatchObject({ holds: false });
    expect(r.fix[0]).toMatch(/Find out why BreakBlobLease .* ops-script\/1\.0 .* broke the lease/);
  });
});

describe('3. a lease released by its holder, then a write with the id → lease-released', () => {
  it.each(ALL)('from %s', async (source) => {
    const r = await diagnosed(source, ids.released.failed.requestId);
    expect(r.origin).toMatchObject({
      kind: 'lease-released',
      confidence: 'certain',
      by: { operation: 'ReleaseBlobLease', requestId: ids.released.releaseId },
    });
    expect(r.leases.map((l) => l.action)).toEqual(['acquire', 'release']);
    if (isHeaderSource(source)) expect(r.leases[1]).toMatchObject({ leaseId: ids.released.leaseId });
  });
});

describe('4. a write whose response was lost, retried with the same If-Match → own-earlier-attempt', () => {
  it.each(ALL)('from %s', async (source) => {
    const r = await diagnosed(source, ids.lost.failed.requestId);
    expect(r.response.status).toBe(412);
    // Azurite's log and the service's logs show the first attempt applied (201); the client side saw no answer.
    const served = source === 'azurite-log' || !isHeaderSource(source);
    expect(r.origin).toMatchObject({
      kind: 'own-earlier-attempt',
      confidence: served ? 'certain' : 'likely',
      by: { clientRequestId: ids.lost.failed.clientRequestId, status: served ? 201 : 0 },
    });
    expect(r.clientRequestId).toBe(ids.lost.failed.clientRequestId);
    expect(r.fix[0]).toMatch(/Make the write idempotent/);
  });
});

describe('5. one worker reusing its cached ETag for a second mutation → reused-etag', () => {
  it.each(ALL)('from %s', async (source) => {
    const r = await diagnosed(source, ids.reused.failed.requestId);
    expect(r.origin).toMatchObject({
      kind: 'reused-etag',
      // Service logs render If-Match as a date: the ETag is matched by time, not read.
      confidence: isHeaderSource(source) ? 'certain' : 'likely',
      by: { operation: 'PutBlob', requestId: ids.reused.firstId },
    });
    expect(r.origin.by!.userAgent).toMatch(/^worker-i\/1\.0 /);
    expect(r.leases).toEqual([]);
    expect(r.fix[0]).toMatch(/Refresh the ETag after every write/);
  });
});

describe('6. two workers, one manifest → other-writer, naming the other', () => {
  it.each(ALL)('from %s', async (source) => {
    const r = await diagnosed(source, ids.twoWorkers.failed.requestId);
    expect(r.origin).toMatchObject({
      kind: 'other-writer',
      confidence: isHeaderSource(source) ? 'certain' : 'likely',
      by: { operation: 'PutBlob', requestId: ids.twoWorkers.writerId },
    });
    expect(r.origin.by!.userAgent).toMatch(/^worker-j\/1\.0 /);
    expect(r.fix[0]).toMatch(/Another writer changed the blob first: PutBlob .* worker-j\/1\.0/);
    if (source === 'resource-log') expect(r.origin.by!.identity).toMatch(/^account key key1\([0-9A-F]{64}\)$/);
  });
});

describe('7. two writes in the same second, If-Match logged as a date → the ambiguity is reported', () => {
  it.each(HEADER_SOURCES)('from %s the exact ETag names the writer: other-writer, certain', async (source) => {
    const r = await diagnosed(source, ids.sameSecond.failed.requestId);
    expect(r.origin).toMatchObject({
      kind: 'other-writer',
      confidence: 'certain',
      by: { requestId: ids.sameSecond.yId },
    });
    expect(r.timeline).toMatchObject({ supplied: ids.sameSecond.etag, suppliedAs: 'etag' });
  });

  it.each(SERVICE_LOGS)('from %s both writes are named, and neither is picked', async (source) => {
    const r = await diagnosed(source, ids.sameSecond.failed.requestId);
    expect(r.origin.kind).toBe('other-writer');
    expect(r.origin.confidence).toBe('likely');
    expect(r.origin.by).toBeUndefined();
    expect(r.origin.alternatives!.map((a) => a.by?.requestId)).toEqual([ids.sameSecond.yId, ids.sameSecond.y2Id]);
    expect(r.origin.summary).toMatch(/matches 2 writes in one second/);
    expect(r.origin.wouldDecide).toMatch(/exact If-Match/);
    expect(r.timeline.candidates!.map((w) => w.requestId)).toEqual([ids.sameSecond.xId, ids.sameSecond.yId]);
    expect(r.timeline.inferredEtag).toBeUndefined();
    // Whichever ETag it was, the blob's Last-Modified had moved past the logged second: the condition fails.
    expect(r.conditions.find((c) => c.header === 'if-match')?.holds).toBe(false);
  });
});

describe('the origin and the lease timeline in every format (the real binary)', () => {
  it('table: the origin, who broke the lease, and the lease timeline before the ETag timeline', async () => {
    const t = await runCli(
      ['diagnose', '--request-id', ids.broken.failed.requestId, '--logs', files['azurite-log']],
      cleanEnv(),
    );
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/origin: lease-broken \(certain\)/);
    expect(t.stdout).toMatch(/by BreakBlobLease .* ops-script\/1\.0/);
    expect(t.stdout.indexOf('Lease timeline')).toBeLessThan(t.stdout.indexOf('ETag timeline'));
    expect(t.stdout).toMatch(/acquire +201 +[0-9a-f-]{36} 60 s/);
    expect(t.stdout).toMatch(/break +202 +break period 0 s/);
  });

  it('markdown: the origin and a lease timeline table', async () => {
    const m = await runCli(
      [
        'diagnose',
        '--request-id',
        ids.expired.failed.requestId,
        '--logs',
        files['analytics-2.0'],
        '--format',
        'markdown',
      ],
      cleanEnv(),
    );
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/\*\*Origin: `lease-expired`\*\* \(likely\)/);
    expect(m.stdout).toMatch(/\*\*Lease timeline \(±5m\)\*\*/);
    expect(m.stdout).toMatch(/\| [^|]+ \| −\d+\.\ds \| acquire \| 201 \| \(headers not recorded\) \|/);
  });

  it('json: origin {kind, by, confidence, evidence} and leases[]', async () => {
    const j = await runCli(
      ['diagnose', '--request-id', ids.released.failed.requestId, '--logs', files.har, '--json'],
      cleanEnv(),
    );
    expect(j.code, j.stderr).toBe(0);
    const r = JSON.parse(j.stdout);
    expect(r.origin).toMatchObject({ kind: 'lease-released', confidence: 'certain' });
    expect(Object.keys(r.origin.by)).toEqual(
      expect.arrayContaining(['time', 'operation', 'requestId', 'caller', 'userAgent', 'identity']),
    );
    expect(r.origin.evidence.length).toBeGreaterThan(1);
    expect(r.leases.map((l: { action: string }) => l.action)).toEqual(['acquire', 'release']);
    for (const l of r.leases) expect(l).toHaveProperty('caller');
    expect(j.stdout).not.toMatch(/SharedKey devstoreaccount1:[^R]/);
  });
});
