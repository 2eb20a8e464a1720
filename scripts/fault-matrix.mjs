// `npm run faults`: the fault matrix — each network fault × each command that talks to Azure, through the
// loopback fault proxy of `cnm/testing` in front of an embedded Azurite. Prints, per cell, the exit code, the
// wall time and the requests the proxy saw; for `replay --execute`, how many times the write went out and
// what it did to the blob. The tests assert these (test/e2e/*-faults.test.ts); this prints them for a person.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite } from '../dist/azure/embedded-azurite.js';
import { startFaultProxy } from '../dist/testing/index.js';

const TIMEOUT = 3000;
const bin = fileURLToPath(new URL('../bin/cnm.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cnm-faults-'));
const file = (name, content) => (writeFileSync(join(dir, name), content), join(dir, name));

const faults = {
  'reset before': { kind: 'reset-before' },
  'reset after (lost answer)': { kind: 'reset-after' },
  hang: { kind: 'hang' },
  'trickle 1 B/0.5 s': { kind: 'trickle', bytesPerTick: 1, intervalMs: 500 },
  'body cut': { kind: 'cut-body', afterBytes: 10 },
  '503 Retry-After 1': { kind: 'status', status: 503, retryAfterSeconds: 1 },
  '500 after commit': { kind: 'status', status: 500, forward: true },
  429: { kind: 'status', status: 429 },
};

const az = await startAzurite();
const proxy = await startFaultProxy(new URL(az.blobEndpoint).origin);
const service = BlobServiceClient.fromConnectionString(az.connectionString);
const container = service.getContainerClient('faults');
await container.create();
const journal = container.getAppendBlobClient('journal.log');
await journal.create();
const doc = container.getBlockBlobClient('doc.json');
await doc.upload('{}', 2);
const account = new URL(az.blobEndpoint).pathname.split('/')[1];
const key = /AccountKey=([^;]+)/.exec(az.connectionString)[1];
const env = {
  ...process.env,
  NO_COLOR: '1',
  AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${key};BlobEndpoint=${proxy.url}/${account};`,
};
const isAppend = (r) => r.method === 'PUT' && r.url.includes('comp=appendblock');
const body = file('body.txt', 'line-6');

const commands = {
  inspect: async () => ({ args: ['inspect', 'faults/doc.json', '--json'] }),
  replay: async () => {
    const url = `${proxy.url}/${account}/faults/doc.json`;
    const cap = { request: { method: 'PUT', url, headers: { 'if-match': '"0x1"' } }, response: { status: 412 } };
    return { args: ['replay', file('stale.json', JSON.stringify(cap)), '--json'] };
  },
  'replay --execute': async () => {
    const { etag } = await journal.getProperties();
    const url = `${proxy.url}/${account}/faults/journal.log?comp=appendblock`;
    const cap = { request: { method: 'PUT', url, headers: { 'if-match': etag, 'content-length': '6' } } };
    return {
      args: ['replay', file('append.json', JSON.stringify(cap)), '--execute', '--body', body, '--json'],
      match: isAppend,
    };
  },
  preflight: async () => {
    const { etag } = await doc.getProperties();
    const jobs = [1, 2, 3].map((i) => ({ id: `job-${i}`, blob: 'faults/doc.json', ifMatch: etag }));
    return { args: ['preflight', file('jobs.json', JSON.stringify(jobs)), '--json'] };
  },
};

const rows = [];
for (const [command, setUp] of Object.entries(commands)) {
  for (const [label, fault] of Object.entries(faults)) {
    const { args, match } = await setUp();
    const before = (await journal.getProperties()).contentLength;
    proxy.seen.length = 0;
    proxy.setRules([{ match, fault }]);
    const t0 = performance.now();
    // Asynchronously: the proxy and Azurite answer from this very process.
    const r = await run([bin, ...args, '--timeout', String(TIMEOUT)]);
    const ms = Math.round(performance.now() - t0);
    proxy.setRules([]);
    const appended = (await journal.getProperties()).contentLength - before;
    const methods = proxy.seen.map((s) => s.method);
    const sent = match ? `${proxy.seen.filter(match).length} write(s), ${appended} B appended` : '';
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => l && !l.startsWith('cnm: sending once'));
    const said = (lines.at(-1) ?? (r.stdout ? `(report on stdout, ${r.stdout.length} B)` : '')).slice(0, 160);
    rows.push({
      command,
      fault: label,
      exit: r.status,
      ms,
      requests: `${methods.length} (${count(methods)})`,
      sent,
      said,
    });
  }
}
await proxy.close();
await az.stop();

function run(args) {
  return new Promise((resolve) =>
    execFile(process.execPath, args, { env, encoding: 'utf8' }, (err, stdout, stderr) =>
      resolve({ status: err ? (err.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

function count(methods) {
  const n = {};
  for (const m of methods) n[m] = (n[m] ?? 0) + 1;
  return Object.entries(n)
    .map(([m, k]) => `${k} ${m}`)
    .join(', ');
}

console.log(`--timeout ${TIMEOUT} ms; the fault applies to every request, or to the write only for --execute\n`);
console.log('| command | fault | exit | time | requests at the proxy | write | last stderr line |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(`| ${r.command} | ${r.fault} | ${r.exit} | ${r.ms} ms | ${r.requests} | ${r.sent} | ${r.said} |`);
