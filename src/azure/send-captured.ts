/**
 * `replay --execute`: re-sends a captured request through the SDK's own pipeline, so it is signed with the
 * USER's credentials (shared key, SAS or Entra token) — never the captured Authorization — and sent once:
 * the caller passes a client built with maxTries 1 (Target.sendOnce), so no policy retries it. When no
 * answer comes back (reset, timeout, a body cut short) the request may or may not have been applied: that is
 * said as such, never retried.
 */
import { createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { BlobClient, ContainerClient } from '@azure/storage-blob';
import { CnmError } from '../core/errors.js';
import type { CapturedRequest, HeaderMap } from '../core/types.js';
import { REDACTED } from '../core/redact.js';
import { toCnmError } from './to-cnm-error.js';

/** Headers that belong to the original transport or signature, or that the pipeline sets itself. */
const NOT_FORWARDED = new Set([
  'authorization',
  'x-ms-copy-source-authorization',
  'date',
  'x-ms-date',
  'host',
  'content-length',
  'user-agent',
  'x-ms-client-request-id',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'expect',
  'accept-encoding',
  'cookie',
]);

/** REST query parameters kept from the captured URL; SAS fields are not (the user's own SAS is used). */
const KEPT_QUERY = new Set(['comp', 'restype', 'blockid', 'blocklisttype', 'snapshot', 'versionid', 'prevsnapshot']);

export interface PreparedSend {
  method: string;
  url: string;
  headers: HeaderMap;
  dropped: string[];
}

export interface SendResult {
  status: number;
  errorCode?: string;
  requestId?: string;
  etag?: string;
}

/** What will go on the wire (before signing): printed to the user before anything is sent. */
export function prepareSend(req: CapturedRequest, targetUrl: string, bodyLength: number | undefined): PreparedSend {
  const captured = new URL(req.url, 'http://placeholder.invalid');
  const target = new URL(targetUrl);
  for (const [k, v] of captured.searchParams) if (KEPT_QUERY.has(k.toLowerCase())) target.searchParams.append(k, v);
  const headers: HeaderMap = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    const lower = name.toLowerCase();
    if (NOT_FORWARDED.has(lower)) continue;
    if (value === REDACTED || value === '[REDACTED]') {
      dropped.push(lower);
      continue;
    }
    headers[lower] = value;
  }
  if (bodyLength !== undefined) headers['content-length'] = String(bodyLength);
  else if (req.method.toUpperCase() === 'PUT') headers['content-length'] = '0';
  return { method: req.method.toUpperCase(), url: target.toString(), headers, dropped };
}

interface ContextClient {
  sendRequest(request: ReturnType<typeof createPipelineRequest>): Promise<PipelineResponse>;
}

/** The SDK client's own signing pipeline (StorageClient.storageClientContext, a core-client ServiceClient). */
function pipelineOf(client: BlobClient | ContainerClient): ContextClient {
  const ctx = (client as unknown as { storageClientContext?: ContextClient }).storageClientContext;
  if (!ctx || typeof ctx.sendRequest !== 'function') {
    throw new CnmError('internal', 'this @azure/storage-blob version exposes no request pipeline to re-send through', {
      hint: 'use @azure/storage-blob 12.32.x',
    });
  }
  return ctx;
}

/** The blob (or container) of a send URL, without its query: what `cnm inspect` takes. */
function inspectRef(url: string): string {
  const u = new URL(url);
  const container = u.searchParams.get('restype') === 'container';
  return `${container ? '--container ' : ''}${u.origin}${u.pathname}`;
}

export async function sendCaptured(
  client: BlobClient | ContainerClient,
  prepared: PreparedSend,
  body: Uint8Array | undefined,
): Promise<SendResult> {
  // --timeout is enforced by the client's timeout policy (the whole exchange), not request.timeout.
  const request = createPipelineRequest({
    url: prepared.url,
    method: prepared.method as 'PUT',
    body,
    // Azurite and other emulators speak plain http on loopback; the SDK's own clients allow it there too.
    allowInsecureConnection: prepared.url.startsWith('http:'),
  });
  for (const [name, value] of Object.entries(prepared.headers)) request.headers.set(name, value);
  try {
    const res = await pipelineOf(client).sendRequest(request);
    return {
      status: res.status,
      errorCode: res.headers.get('x-ms-error-code') ?? undefined,
      requestId: res.headers.get('x-ms-request-id') ?? undefined,
      etag: res.headers.get('etag') ?? undefined,
    };
  } catch (err) {
    const e = toCnmError(err, `the replayed ${prepared.method} ${new URL(prepared.url).pathname}`);
    if (e.status !== undefined || prepared.method === 'GET' || prepared.method === 'HEAD') throw e;
    // No status: the request left, and whether Azure applied it is unknown. Never guess, never resend.
    throw new CnmError(e.code, `${e.message}; the request was sent once and its outcome is unknown`, {
      cause: err,
      hint: `it may have been applied: check the blob with \`cnm inspect ${inspectRef(prepared.url)}\` before sending anything again`,
    });
  }
}
