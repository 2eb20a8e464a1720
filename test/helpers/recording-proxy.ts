/**
 * A recording HTTP proxy on loopback, as Fiddler or a browser's network panel would sit between a client and the
 * service: every exchange it forwards becomes a capture (docs/formats.md), each attempt on its own, a request
 * whose upstream connection dropped without an answer kept without a response. Its captures are written out as a
 * HAR and as NDJSON, the capture formats diagnose reads.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedCapture {
  request: { method: string; url: string; headers: Record<string, string>; time: string; body?: string };
  response?: { status: number; headers: Record<string, string>; body?: string };
}

export interface RecordingProxy {
  url: string;
  captures: RecordedCapture[];
  close(): Promise<void>;
}

function flat(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function body(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** `bodies`: keep each request's and response's body as text (a Blob Batch's sub-requests live there). */
export async function startRecordingProxy(target: string, options: { bodies?: boolean } = {}): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const captures: RecordedCapture[] = [];
  const sockets = new Set<Socket>();
  let self = '';
  const server: Server = createServer((req, res) => {
    const capture: RecordedCapture = {
      request: {
        method: req.method ?? 'GET',
        url: `${self}${req.url ?? '/'}`,
        headers: flat(req.headers),
        time: new Date().toISOString(),
      },
    };
    captures.push(capture);
    void body(req).then((sent) => {
      if (options.bodies && sent.length > 0) capture.request.body = sent.toString('utf8');
      const out = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (up) => {
          void body(up).then((answer) => {
            capture.response = { status: up.statusCode ?? 0, headers: flat(up.headers) };
            if (options.bodies && answer.length > 0) capture.response.body = answer.toString('utf8');
            const headers = { ...up.headers, 'content-length': String(answer.length) };
            delete headers['transfer-encoding'];
            res.writeHead(up.statusCode ?? 502, headers);
            res.end(answer);
          });
        },
      );
      // The upstream dropped the connection: so does the proxy, and the capture keeps no response.
      out.on('error', () => req.socket.destroy());
      out.end(sent);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: self,
    captures,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
