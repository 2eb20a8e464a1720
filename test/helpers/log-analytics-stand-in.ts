/**
 * A LOOPBACK STAND-IN for Log Analytics (it cannot run here): an HTTPS server on 127.0.0.1 that answers
 * POST /v1/workspaces/<id>/query with what `answer` returns, in the documented response shape
 * ({tables: [{name, columns: [{name, type}], rows}]}, plus `error` for a partial result). It checks cnm's query and
 * parsing, not the real service. HTTPS because the SDK refuses bearer tokens over plain HTTP; the certificate is
 * generated per run and trusted only by the child through NODE_EXTRA_CA_CERTS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { cleanEnv } from './run-cli.js';

export interface StandInAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface StandIn {
  endpoint: string;
  /** Every KQL query received, in order. */
  queries: string[];
  /** The environment for the child: a fake token, and the stand-in's certificate trusted. */
  env(): NodeJS.ProcessEnv;
}

/** `columns`: `name:type` each; one table, optionally with a partial-result error. */
function tableAnswer(columns: string[], rows: unknown[][], partial?: { code: string; message: string }): StandInAnswer {
  const table = {
    name: 'PrimaryResult',
    columns: columns.map((c) => ({ name: c.split(':')[0], type: c.split(':')[1] })),
    rows,
  };
  return { status: 200, body: { tables: [table], ...(partial ? { error: partial } : {}) } };
}

const THROTTLED: StandInAnswer = {
  status: 429,
  headers: { 'Retry-After': '0' },
  body: { error: { code: 'TooManyRequests', message: 'slow down' } },
};

/** How the stand-in answers: the rows, a partial result, throttling, or no rows. */
export type StandInMode = 'ok' | 'partial' | 'throttle' | 'empty';

/** The answer of `mode`, with `rows()` (asked only when rows are sent) in one table of `columns`. */
export function modeAnswer(mode: StandInMode, columns: string[], rows: () => unknown[][]): StandInAnswer {
  if (mode === 'throttle') return THROTTLED;
  const partial = mode === 'partial' ? { code: 'PartialError', message: 'query exceeded limits' } : undefined;
  return tableAnswer(columns, mode === 'empty' ? [] : rows(), partial);
}

/** Starts before the file's tests, stops after; `answer` is asked for each query. */
export function useLogAnalyticsStandIn(answer: (query: string) => StandInAnswer): StandIn {
  const dir = mkdtempSync(join(tmpdir(), 'cnm-la-'));
  let server: Server;
  const standIn: StandIn = {
    endpoint: '',
    queries: [],
    env: () => cleanEnv({ CNM_LOGS_TOKEN: 'test-token-not-a-secret', NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') }),
  };
  beforeAll(async () => {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1']
        .concat(['-addext', 'subjectAltName=IP:127.0.0.1'])
        .concat(['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]),
      { stdio: 'ignore' },
    );
    server = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          const query = (JSON.parse(body || '{}') as { query?: string }).query ?? '';
          standIn.queries.push(query);
          const a = answer(query);
          res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
          res.end(JSON.stringify(a.body));
        });
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    standIn.endpoint = `https://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  return standIn;
}
