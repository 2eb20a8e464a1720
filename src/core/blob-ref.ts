/**
 * Blob references: a full URL (host-style Azure, or path-style emulator URL) or
 * `<container>/<name>` with the account supplied elsewhere. Pure: returns data, never throws.
 */
import { redactUrl } from './redact.js';

export interface BlobRef {
  /** `https://acct.blob.core.windows.net` or `http://127.0.0.1:10000/devstoreaccount1`, when the input named it. */
  accountUrl?: string;
  account?: string;
  container: string;
  /** Absent for a container reference. */
  name?: string;
  /** The SAS query of the URL, without the leading `?`. */
  sas?: string;
  /** `?snapshot=<time>`: the reference is that snapshot, not the base blob. */
  snapshot?: string;
  /** `?versionid=<id>`: the reference is that version of the blob. */
  versionId?: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

const CONTAINER_RE = /^(?:\$root|\$logs|\$web|[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62})$/;

/** Azure and the SDK treat IP hosts, localhost and the emulator ports as path-style (account in the path). */
export function isPathStyle(url: URL): boolean {
  const host = url.hostname;
  return (
    /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) ||
    host === 'localhost' ||
    host.startsWith('[') ||
    ['10000', '10001', '10002'].includes(url.port)
  );
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function checkContainerName(container: string): string | undefined {
  if (CONTAINER_RE.test(container)) return undefined;
  return `"${container}" is not a valid container name (3–63 lower-case letters, digits and single hyphens)`;
}

function fromUrl(input: string, wantContainer: boolean): ParseResult<BlobRef> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    // Echoed without its SAS: a reference that does not parse may still carry one.
    return { ok: false, message: `"${redactUrl(input)}" is not a valid URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: `unsupported URL scheme "${url.protocol}" (use https:// or http://)` };
  }
  const segments = url.pathname.split('/').slice(1);
  let account: string | undefined;
  let base = `${url.protocol}//${url.host}`;
  if (isPathStyle(url)) {
    account = segments.shift();
    if (!account) return { ok: false, message: `the emulator URL "${url.origin}" names no account` };
    base = `${base}/${account}`;
  } else {
    account = url.hostname.split('.')[0];
  }
  const container = safeDecode(segments.shift() ?? '');
  const name = segments.map(safeDecode).join('/');
  // A query is a SAS only when it is signed: `?comp=metadata` in a captured URL is a REST parameter, and
  // taking it for a credential would send the request unsigned.
  const sas = url.searchParams.has('sig') ? sasPart(url.searchParams) : undefined;
  const snapshot = queryValue(url.searchParams, 'snapshot');
  const versionId = queryValue(url.searchParams, 'versionid');
  return finish(
    {
      accountUrl: base,
      account,
      container,
      name: name || undefined,
      sas,
      ...(snapshot && name ? { snapshot } : {}),
      ...(versionId && name ? { versionId } : {}),
    },
    wantContainer,
  );
}

/** Query names are case-insensitive for the Blob service (`versionid`, the SDK's `versionId`). */
function queryValue(params: URLSearchParams, name: string): string | undefined {
  for (const [k, v] of params) if (k.toLowerCase() === name && v !== '') return v;
  return undefined;
}

/** The SAS fields of a query, without the REST parameters a captured URL also carries. */
const REST_PARAMS = new Set([
  'comp',
  'restype',
  'blockid',
  'blocklisttype',
  'snapshot',
  'versionid',
  'prevsnapshot',
  'timeout',
]);

function sasPart(params: URLSearchParams): string {
  const sas = new URLSearchParams();
  for (const [k, v] of params) if (!REST_PARAMS.has(k.toLowerCase())) sas.append(k, v);
  return sas.toString();
}

function finish(ref: BlobRef, wantContainer: boolean): ParseResult<BlobRef> {
  if (!ref.container) return { ok: false, message: 'the reference names no container' };
  const bad = checkContainerName(ref.container);
  if (bad) return { ok: false, message: bad };
  if (!wantContainer && !ref.name) {
    return {
      ok: false,
      message: `the reference names container "${ref.container}" but no blob (use <container>/<name>)`,
    };
  }
  if (wantContainer && ref.name) {
    return { ok: false, message: `--container takes a container, but "${ref.container}/${ref.name}" names a blob` };
  }
  // A URL resolves `.` and `..` away: such a name addresses another blob, or none (it was an internal error).
  if (ref.name?.split('/').some((s) => s === '.' || s === '..'))
    return {
      ok: false,
      message: `the blob name "${ref.name}" has a "." or ".." segment, which no blob URL can address`,
    };
  return { ok: true, value: ref };
}

/** Parses a blob (or, with `container`, a container) reference. */
export function parseBlobRef(input: string, options: { container?: boolean } = {}): ParseResult<BlobRef> {
  const wantContainer = options.container ?? false;
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, message: 'the blob reference is empty' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return fromUrl(trimmed, wantContainer);
  const slash = trimmed.indexOf('/');
  const container = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const name = slash < 0 ? undefined : trimmed.slice(slash + 1) || undefined;
  return finish({ container, name }, wantContainer);
}

/** The blob's URL without any SAS (with its snapshot or version), for reports. */
export function blobRefUrl(ref: BlobRef, accountUrl: string): string {
  const path = [ref.container, ...(ref.name ? ref.name.split('/') : [])].map(encodeURIComponent).join('/');
  const query = ref.snapshot
    ? `?snapshot=${encodeURIComponent(ref.snapshot)}`
    : ref.versionId
      ? `?versionid=${encodeURIComponent(ref.versionId)}`
      : '';
  return `${accountUrl.replace(/\/+$/, '')}/${path}${query}`;
}
