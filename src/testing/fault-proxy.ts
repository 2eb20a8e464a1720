/**
 * A loopback HTTP proxy that sits between a client (the SDK, cnm) and a storage endpoint (Azurite) and
 * injects the faults a real network and a real service produce: a connection reset before or after the
 * service applied the request (a lost response), a hang, a response trickled byte by byte, a delay, and
 * 5xx/429 answers (with or without Retry-After). Every request it sees is recorded, so a test can assert
 * how many times a write really went out.
 *
 * It is part of `cnm/testing`: the test suite of cnm uses it for every network path, and
 * `checkConcurrentWrites` puts it in front of its embedded Azurite.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with one request. */
export type Fault =
  | { kind: 'pass' }
  /** Forward after `ms`. */
  | { kind: 'delay'; ms: number }
  /** Reset the connection without forwarding: the service never saw the request. */
  | { kind: 'reset-before' }
  /** Forward, let the service apply it, then reset instead of answering: the response is lost. */
  | { kind: 'reset-after' }
  /** Accept the request and never answer (the socket stays open until the proxy closes). */
  | { kind: 'hang' }
  /** Forward, then send the response `bytesPerTick` bytes every `intervalMs`. */
  | { kind: 'trickle'; bytesPerTick?: number; intervalMs?: number }
  /** Forward, send the headers and part of the body, then reset: a body cut mid-stream. */
  | { kind: 'cut-body'; afterBytes?: number }
  /**
   * Answer `status` (503, 500, 429, …) with an Azure-shaped error. `forward: true` lets the service apply the
   * request first (a 500 after commit); otherwise the service never sees it.
   */
  | { kind: 'status'; status: number; errorCode?: string; retryAfterSeconds?: number; forward?: boolean }
  /** Forward, then change the response's headers: a value replaces, `null` removes (what a proxy or CDN does). */
  | { kind: 'rewrite'; headers: Record<string, string | null> };

export interface SeenRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Which fault was applied to it. */
  fault: Fault['kind'];
}

/** A rule picks the fault for a request; the first rule whose `match` accepts it (and has `times` left) wins. */
export interface FaultRule {
  match?: (req: { method: string; url: string; headers: IncomingMessage['headers'] }) => boolean;
  fault: Fault;
  /** Apply to this many matching requests, then fall through (default: every one). */
  times?: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: point a client's endpoint here instead of at the target. */
  readonly url: string;
  readonly port: number;
  /** Every request that reached the proxy, in order. */
  readonly seen: SeenRequest[];
  /** Replace the rules (an empty list passes everything through). */
  setRules(rules: FaultRule[]): void;
  /** Requests seen with this method (and, optionally, whose URL contains `urlPart`). */
  count(method: string, urlPart?: string): number;
  close(): Promise<void>;
}

const ERROR_CODES: Record<number, string> = {
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServerBusy',
  504: 'GatewayTimeout',
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Upstream {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host };
    const out = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (res) => {
        readBody(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject);
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

function azureError(status: number, code: string, retryAfter?: number): Upstream {
  const body = Buffer.from(
    `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>injected by the fault proxy</Message></Error>`,
  );
  const headers: IncomingMessage['headers'] = {
    'content-type': 'application/xml',
    'content-length': String(body.length),
    'x-ms-error-code': code,
    'x-ms-request-id': `fault-${Math.random().toString(16).slice(2, 10)}`,
  };
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  return { status, headers, body };
}

/** A HEAD answer has no body but keeps the length of the GET it describes (RFC 9110 §9.3.2): keep it as sent. */
function send(res: ServerResponse, up: Upstream, method?: string): void {
  const headers = { ...up.headers };
  delete headers['transfer-encoding'];
  if (method !== 'HEAD') headers['content-length'] = String(up.body.length);
  res.writeHead(up.status, headers);
  res.end(up.body);
}

async function trickle(res: ServerResponse, up: Upstream, bytes: number, interval: number): Promise<void> {
  const headers = { ...up.headers, 'content-length': String(up.body.length) };
  delete headers['transfer-encoding'];
  res.writeHead(up.status, headers);
  for (let i = 0; i < up.body.length && !res.destroyed; i += bytes) {
    res.write(up.body.subarray(i, i + bytes));
    await new Promise((r) => setTimeout(r, interval));
  }
  res.end();
}

/** Starts the proxy on an ephemeral loopback port in front of `target` (e.g. Azurite's `http://127.0.0.1:port`). */
export async function startFaultProxy(target: string, rules: FaultRule[] = []): Promise<FaultProxy> {
  const upstream = new URL(target);
  let active = rules.map((r) => ({ ...r }));
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();

  const pick = (req: IncomingMessage): Fault => {
    const view = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    for (const rule of active) {
      if (rule.times !== undefined && rule.times <= 0) continue;
      if (rule.match && !rule.match(view)) continue;
      if (rule.times !== undefined) rule.times -= 1;
      return rule.fault;
    }
    return { kind: 'pass' };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const fault = pick(req);
    seen.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers }, fault: fault.kind });
    const body = await readBody(req);
    switch (fault.kind) {
      case 'hang':
        return;
      case 'reset-before':
        req.socket.destroy();
        return;
      case 'status': {
        if (fault.forward) await forward(upstream, req, body);
        send(
          res,
          azureError(
            fault.status,
            fault.errorCode ?? ERROR_CODES[fault.status] ?? 'InternalError',
            fault.retryAfterSeconds,
          ),
        );
        return;
      }
      default:
        break;
    }
    if (fault.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    const up = await forward(upstream, req, body);
    if (fault.kind === 'reset-after') {
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'trickle') return trickle(res, up, fault.bytesPerTick ?? 1, fault.intervalMs ?? 50);
    if (fault.kind === 'rewrite') {
      for (const [name, value] of Object.entries(fault.headers)) {
        if (value === null) delete up.headers[name.toLowerCase()];
        else up.headers[name.toLowerCase()] = value;
      }
    }
    if (fault.kind === 'cut-body') {
      const headers = { ...up.headers, 'content-length': String(Math.max(up.body.length, 64)) };
      delete headers['transfer-encoding'];
      res.writeHead(up.status, headers);
      res.write(up.body.subarray(0, Math.min(fault.afterBytes ?? 16, Math.max(up.body.length - 1, 0))));
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    send(res, up, req.method);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, azureError(502, 'BadGateway'));
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    setRules(next) {
      active = next.map((r) => ({ ...r }));
    },
    count(method, urlPart) {
      return seen.filter((r) => r.method === method && (urlPart === undefined || r.url.includes(urlPart))).length;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
