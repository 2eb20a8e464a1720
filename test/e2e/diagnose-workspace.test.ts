/**
 * e2e of `diagnose --workspace`. Log Analytics cannot run here: this is a LOOPBACK STAND-IN, an HTTPS server
 * on 127.0.0.1 that answers POST /v1/workspaces/<id>/query with the documented response shape
 * ({tables: [{name, columns: [{name, type}], rows}]}, plus `error` for a partial result) — it checks cnm's
 * query and parsing, not the real service. HTTPS because the SDK refuses bearer tokens over plain HTTP;
 * the certificate is generated per run and trusted only by the child through NODE_EXTRA_CA_CERTS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-la-'));
const COLUMNS = [
  'TimeGenerated:datetime',
  'OperationName:string',
  'StatusCode:string',
  'StatusText:string',
  'CorrelationId:string',
  'ClientRequestId:string',
  'Uri:string',
  'ObjectKey:string',
  'CallerIpAddress:string',
  'UserAgentHeader:string',
  'ConditionsUsed:string',
  'Etag:string',
  'LastModifiedTime:datetime',
];
const row = (
  t: string,
  op: string,
  status: string,
  text: string,
  corr: string,
  etag: string | null,
  cond: string | null,
) => [
  t,
  op,
  status,
  text,
  corr,
  `client-${corr.slice(0, 4)}`,
  'https://acct.blob.core.windows.net/ns.servicebus.windows.net/hub/$default/ownership/0?comp=metadata',
  '/acct/checkpoints/ns.servicebus.windows.net/hub/$default/ownership/0',
  '10.1.1.1:443',
  'azsdk-js-eventhubs-checkpointstore-blob/1.0.0',
  cond,
  etag,
  etag ? t : null,
];
const ROWS = [
  row(
    '2026-11-24T18:00:00Z',
    'SetBlobMetadata',
    '200',
    'Success',
    'aaaa0000-801e-001e-47f4-2c3e77000000',
    '"0x8DECE5F6A1B2E00"',
    null,
  ),
  row(
    '2026-11-24T18:00:10Z',
    'SetBlobMetadata',
    '200',
    'Success',
    'bbbb0000-801e-001e-47f4-2c3e77000000',
    '"0x8DECE5F6A1B2E01"',
    'If-Match=Tuesday, 24-Nov-26 18:00:00 GMT',
  ),
  row(
    '2026-11-24T18:00:11Z',
    'SetBlobMetadata',
    '412',
    'ConditionNotMet',
    'cccc0000-801e-001e-47f4-2c3e77000000',
    null,
    'If-Match=Tuesday, 24-Nov-26 18:00:00 GMT',
  ),
];

let server: Server;
let endpoint = '';
let mode: 'ok' | 'partial' | 'throttle' | 'empty' = 'ok';
const queries: string[] = [];

beforeAll(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  server = createServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        queries.push(JSON.parse(body || '{}').query ?? '');
        if (mode === 'throttle') {
          res.writeHead(429, { 'Retry-After': '0', 'content-type': 'application/json' });
          return res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'slow down' } }));
        }
        const table = {
          name: 'PrimaryResult',
          columns: COLUMNS.map((c) => ({ name: c.split(':')[0], type: c.split(':')[1] })),
          rows: mode === 'empty' ? [] : ROWS,
        };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            tables: [table],
            ...(mode === 'partial' ? { error: { code: 'PartialError', message: 'query exceeded limits' } } : {}),
          }),
        );
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `https://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const run = (id: string) =>
  runCli(
    [
      'diagnose',
      '--request-id',
      id,
      '--workspace',
      'ws-1',
      '--workspace-endpoint',
      endpoint,
      '--since',
      '2026-11-24T17:00:00Z',
      '--until',
      '2026-11-24T19:00:00Z',
      '--json',
    ],
    cleanEnv({ CNM_LOGS_TOKEN: 'test-token-not-a-secret', NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') }),
    60_000,
  );

describe('cnm diagnose --workspace (loopback stand-in for Log Analytics)', () => {
  it('pushes the KQL down and diagnoses the 412: Event Hubs ownership claim lost, expected contention', async () => {
    mode = 'ok';
    const r = await run('cccc0000-801e-001e-47f4-2c3e77000000');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      source: { kind: 'log-analytics' },
      cause: { code: 'stale-etag' },
      contention: { kind: 'event-hubs-ownership', expected: true },
      timeline: { inferredEtag: '"0x8DECE5F6A1B2E00"' },
    });
    expect(queries.at(-1)).toMatch(/CorrelationId == "cccc0000-801e-001e-47f4-2c3e77000000" or ClientRequestId ==/);
  });

  it('partial results are reported as a note', async () => {
    mode = 'partial';
    const j = JSON.parse((await run('cccc0000-801e-001e-47f4-2c3e77000000')).stdout);
    expect(j.notes.join('\n')).toMatch(/partial results \(PartialError: query exceeded limits\)/);
  });

  it('throttling → exit 3, one line', async () => {
    mode = 'throttle';
    const r = await run('cccc0000-801e-001e-47f4-2c3e77000000');
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toMatch(/^cnm: Log Analytics throttled the query on workspace ws-1 \(429\)/);
  });

  it('no rows → exit 4 naming the workspace and the range', async () => {
    mode = 'empty';
    const r = await run('nope');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /Log Analytics workspace ws-1\) between 2026-11-24T17:00:00.000Z and 2026-11-24T19:00:00.000Z/,
    );
  });
});
