/**
 * Captures of REAL failed requests against Azurite, in every format replay reads: a capture JSON and a HAR
 * built from the real exchange, the Azure SDK's own AZURE_LOG_LEVEL=info log of a real 412 (a child process),
 * and Azurite's --debug log.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlockBlobClient } from '@azure/storage-blob';

interface RestErrorShape {
  statusCode?: number;
  request?: { method: string; url: string; headers: { toJSON(): Record<string, string> } };
  response?: { headers: { toJSON(): Record<string, string> } };
}

/** Performs a write with a stale If-Match and returns the real request/response as a capture (docs/formats.md). */
export function realStaleWrite(blob: BlockBlobClient, staleEtag: string): Promise<Record<string, unknown>> {
  return realFailure(() => blob.setMetadata({ run: 'stale' }, { conditions: { ifMatch: staleEtag } }), 412);
}

/** Runs an SDK call expected to fail and returns its real request/response as a capture (docs/formats.md). */
export async function realFailure(call: () => Promise<unknown>, status: number): Promise<Record<string, any>> {
  try {
    await call();
  } catch (err) {
    const e = err as RestErrorShape;
    if (e.statusCode !== status || !e.request || !e.response) throw err;
    return {
      request: {
        method: e.request.method,
        url: e.request.url,
        headers: e.request.headers.toJSON(),
        time: new Date().toISOString(),
      },
      response: { status, headers: e.response.headers.toJSON() },
    };
  }
  throw new Error(`expected a ${status}`);
}

export function harOf(captures: Array<Record<string, any>>): string {
  const pairs = (h: Record<string, string>) => Object.entries(h).map(([name, value]) => ({ name, value }));
  return JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: 'cnm-test', version: '1' },
      entries: captures.map((c) => ({
        startedDateTime: c.request.time,
        time: 10,
        request: {
          method: c.request.method,
          url: c.request.url,
          httpVersion: 'HTTP/1.1',
          headers: pairs(c.request.headers),
          queryString: [],
          cookies: [],
          headersSize: -1,
          bodySize: c.request.body ? c.request.body.length : 0,
          ...(c.request.body
            ? { postData: { mimeType: c.request.headers['content-type'], text: c.request.body } }
            : {}),
        },
        response: {
          status: c.response.status,
          statusText: '',
          httpVersion: 'HTTP/1.1',
          headers: pairs(c.response.headers),
          cookies: [],
          content: c.response.body
            ? { size: c.response.body.length, mimeType: c.response.headers['content-type'], text: c.response.body }
            : { size: 0, mimeType: 'application/xml' },
          redirectURL: '',
          headersSize: -1,
          bodySize: 0,
        },
        cache: {},
        timings: { send: 0, wait: 10, receive: 0 },
      })),
    },
  });
}

/** Runs a stale-If-Match write in a child process with AZURE_LOG_LEVEL=info; returns the path of its log. */
export function realSdkLog(
  dir: string,
  connectionString: string,
  container: string,
  name: string,
  staleEtag: string,
): Promise<string> {
  const script = `
    import { BlobServiceClient } from '@azure/storage-blob';
    const b = BlobServiceClient.fromConnectionString(process.env.CS).getContainerClient(process.env.C).getBlockBlobClient(process.env.N);
    try { await b.setMetadata({ run: 'sdk' }, { conditions: { ifMatch: process.env.E } }); } catch (e) { if (e.statusCode !== 412) throw e; }
  `;
  const file = join(dir, 'sdk.log');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: process.cwd(),
      env: { ...process.env, AZURE_LOG_LEVEL: 'info', CS: connectionString, C: container, N: name, E: staleEtag },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stderr.on('data', (d) => (log += d));
    child.stdout.on('data', (d) => (log += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`sdk child exited ${code}: ${log.slice(-500)}`));
      writeFileSync(file, log);
      resolve(file);
    });
  });
}
