/**
 * e2e of `cnm stats --analytics-logs` against a real Azurite. Azurite has no `$logs`: the workload's `$logs` 2.0
 * lines (test/helpers/stats-workload.ts) are uploaded to a container of that layout, one blob per hour, with the
 * StartTime/EndTime metadata the service writes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';
import { analyticsText, EXPECTED, HOT, MALFORMED_LINES, START, UNTIL } from '../helpers/stats-workload.js';

const fx = useAzurite();

async function uploadByHour(containerName: string): Promise<number> {
  const logs = fx.service.getContainerClient(containerName);
  await logs.create();
  const byHour = new Map<string, string[]>();
  for (const line of analyticsText('2.0').trim().split('\n')) {
    const hour = /^2\.0;(\d{4})-(\d\d)-(\d\d)T(\d\d)/.exec(line);
    // The malformed lines go with the 01:00 hour, as a cut-off write would leave them.
    const key = hour
      ? `blob/${hour[1]}/${hour[2]}/${hour[3]}/${hour[4]}00/000000.log`
      : 'blob/2026/11/24/0100/000001.log';
    byHour.set(key, [...(byHour.get(key) ?? []), line]);
  }
  for (const [name, lines] of byHour) {
    const body = lines.join('\n') + '\n';
    await logs.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), { metadata: { LogVersion: '2.0' } });
  }
  // Outside the range: its hour prefix is never listed; inside the prefixes but ruled out by its metadata.
  await logs.getBlockBlobClient('blob/2026/10/01/0000/000000.log').upload('x', 1);
  await logs
    .getBlockBlobClient('blob/2026/11/24/0800/000009.log')
    .upload('x', 1, { metadata: { StartTime: '2026-11-25T08:00:00Z', EndTime: '2026-11-25T08:10:00Z' } });
  return byHour.size;
}

describe('cnm stats --analytics-logs (Azurite, $logs layout)', () => {
  it('lists only the hour prefixes in the range, streams the blobs, and gives the same picture as the file', async () => {
    const container = uniqueName('logs');
    const uploaded = await uploadByHour(container);
    const env = cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString });
    const args = ['stats', '--analytics-logs', '--analytics-container', container, '--since', START, '--until', UNTIL];
    const r = await runCli([...args, '--json'], env, 60_000);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.totals).toMatchObject({ requests: EXPECTED.requests, failures: EXPECTED.failures });
    expect(j.skipped).toBe(MALFORMED_LINES);
    expect(j.blobs[0]).toMatchObject({ blob: HOT, failures: EXPECTED.hot.failures });
    // 00:00 to 09:00 and an hour of margin each side (logs are filed by completion hour): 23:00 to 10:00, 12
    // prefixes; the 2026-10-01 blob is never listed, the one whose metadata says 2026-11-25 is never downloaded.
    expect(j.sources[0]).toMatch(
      new RegExp(
        `^${container} container at .*: 12 hour prefixes, ${uploaded} of ${uploaded + 1} log blobs read \\(1 ruled out by StartTime/EndTime\\)`,
      ),
    );
    expect(j.next).toMatch(`--analytics-logs --analytics-container ${container}`);
  });

  it('a file and the container in one run, failures judged on the worker thread: the same report as judged here', async () => {
    const container = uniqueName('logs');
    await uploadByHour(container);
    // The file's requests come from other callers: a request of one source taken for the other's would show.
    const file = join(mkdtempSync(join(tmpdir(), 'cnm-stats-two-')), 'other.log');
    writeFileSync(file, analyticsText('2.0').replaceAll('10.0.0.', '10.9.9.').replaceAll('orders-writer', 'billing'));
    const args = ['stats', '--logs', file, '--analytics-logs', '--analytics-container', container, '--json'];
    const run = (here: string) =>
      runCli(
        [...args, '--since', START, '--until', UNTIL],
        cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString, CNM_STATS_JUDGE_HERE: here }),
        60_000,
      );
    const [onWorker, here] = await Promise.all([run('0'), run('100000')]);
    expect(onWorker.code, onWorker.stderr).toBe(0);
    const j = JSON.parse(onWorker.stdout);
    expect(j).toEqual(JSON.parse(here.stdout));
    const failures = (ip: string) => j.callers.find((c: { caller: string }) => c.caller === ip)?.failures;
    expect([failures('10.0.0.2'), failures('10.9.9.2')]).toEqual([60, 60]);
  });

  it('no such container → exit 4', async () => {
    const env = cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString });
    const r = await runCli(['stats', '--analytics-logs', '--since', START, '--until', UNTIL], env, 60_000);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/the \$logs container does not exist/);
  });
});

describe('cnm stats --analytics-logs against an account that refuses the key (a stand-in answering 403)', () => {
  it("--debug prints no part of Azure's AuthenticationErrorDetail: not the request's signature, not the string signed", async () => {
    // Azure's 403 body quotes the MAC the request carried and the string it signed; for a list operation the SDK
    // puts the whole body in its error message. A loopback server answers every request with that body.
    const { createServer } = await import('node:http');
    const macs: string[] = [];
    const server = createServer((req, res) => {
      const mac =
        String(req.headers.authorization ?? '')
          .split(':')
          .pop() ?? '';
      macs.push(mac);
      const body =
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to ' +
        'authenticate the request.</Message><AuthenticationErrorDetail>The MAC signature found in the HTTP request ' +
        `'${mac}' is not the same as any computed signature. Server used following string to sign: ` +
        `'${req.method}\n\n\nx-ms-date:${String(req.headers['x-ms-date'])}\n/devstoreaccount1${req.url}'.` +
        '</AuthenticationErrorDetail></Error>';
      res.writeHead(403, { 'content-type': 'application/xml', 'x-ms-error-code': 'AuthenticationFailed' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const key = Buffer.from('not-the-accounts-key-but-a-key-nonetheless').toString('base64');
      const r = await runCli(
        [
          'stats',
          '--analytics-logs',
          '--account-url',
          `http://127.0.0.1:${port}/devstoreaccount1`,
          '--debug',
          '--json',
        ],
        cleanEnv({ AZURE_STORAGE_ACCOUNT: 'devstoreaccount1', AZURE_STORAGE_KEY: key }),
        30_000,
      );
      expect(r.code).not.toBe(0);
      expect(macs.length).toBeGreaterThan(0);
      const out = r.stdout + r.stderr;
      expect(out).toMatch(/AuthenticationFailed|403/);
      for (const mac of macs) expect(out).not.toContain(mac);
      expect(out).not.toMatch(/x-ms-date:/);
      expect(out).not.toContain(key);
    } finally {
      server.close();
    }
  }, 40_000);
});
