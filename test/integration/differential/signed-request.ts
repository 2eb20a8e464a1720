/**
 * One raw request to Azurite, signed with the dev account's Shared Key, headers exactly as given. The
 * differential test sends the very `CapturedRequest` it hands the engine, so nothing the SDK would add or
 * drop (it never sends If-Match lists, `*` on reads, or x-ms-blob-if-* on Get Blob Tags) gets in between.
 */
import { createHmac } from 'node:crypto';
import { DEV_ACCOUNT, DEV_KEY } from '../../../src/core/connection-string.js';
import { AZURITE_API_VERSION } from '../../../src/core/azurite-differences.js';
import type { CapturedRequest } from '../../../src/core/types.js';

export interface Answer {
  status: number;
  errorCode?: string;
}

const SIGNED = [
  'content-encoding',
  'content-language',
  'content-length',
  'content-md5',
  'content-type',
  'date',
  'if-modified-since',
  'if-match',
  'if-none-match',
  'if-unmodified-since',
  'range',
];

/** Shared Key string-to-sign (learn.microsoft.com/rest/api/storageservices/authenticate-with-shared-key). */
function stringToSign(method: string, url: URL, headers: Record<string, string>): string {
  const standard = SIGNED.map((name) =>
    name === 'content-length' && headers[name] === '0' ? '' : (headers[name] ?? ''),
  );
  const canonical = Object.keys(headers)
    .filter((h) => h.startsWith('x-ms-'))
    .sort()
    .map((h) => `${h}:${headers[h]!.trim()}\n`)
    .join('');
  const query = [...url.searchParams.keys()]
    .map((k) => k.toLowerCase())
    .sort()
    .map((k) => `\n${k}:${url.searchParams.get(k)}`)
    .join('');
  return [method, ...standard].join('\n') + '\n' + canonical + `/${DEV_ACCOUNT}${url.pathname}` + query;
}

/** Adds x-ms-date, x-ms-version, Content-Length and the Authorization header; returns the headers to send. */
function sign(req: CapturedRequest, body: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  headers['x-ms-date'] = new Date().toUTCString();
  headers['x-ms-version'] ??= AZURITE_API_VERSION;
  if (req.method !== 'GET' && req.method !== 'HEAD') headers['content-length'] = String(body.length);
  const mac = createHmac('sha256', Buffer.from(DEV_KEY, 'base64')).update(
    stringToSign(req.method, new URL(req.url), headers),
    'utf8',
  );
  headers.authorization = `SharedKey ${DEV_ACCOUNT}:${mac.digest('base64')}`;
  return headers;
}

/** Sends the request and reads the status and x-ms-error-code (the only code a HEAD or 304 carries). */
export async function send(req: CapturedRequest, body: Buffer = Buffer.alloc(0)): Promise<Answer> {
  const headers = sign(req, body);
  const { 'content-length': _length, ...rest } = headers;
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const res = await fetch(req.url, {
    method: req.method,
    headers: rest,
    ...(hasBody ? { body: new Uint8Array(body) } : {}),
  });
  await res.arrayBuffer();
  const errorCode = res.headers.get('x-ms-error-code') ?? undefined;
  return { status: res.status, ...(errorCode ? { errorCode } : {}) };
}
