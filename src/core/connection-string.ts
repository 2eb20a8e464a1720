/** Connection strings, including `UseDevelopmentStorage=true`. Pure. */
import type { ParseResult } from './blob-ref.js';

export interface ConnectionInfo {
  accountName?: string;
  accountKey?: string;
  sas?: string;
  blobEndpoint: string;
}

/** The well-known Azurite/emulator account (public, documented by Microsoft; not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function parseConnectionString(text: string): ParseResult<ConnectionInfo> {
  const fields = new Map<string, string>();
  const parts = text.split(';');
  for (const [i, part] of parts.entries()) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    // Never echo the part: it may be (part of) the account key.
    if (eq <= 0) return { ok: false, message: `connection string part ${i + 1} of ${parts.length} is not key=value` };
    fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  if (fields.get('usedevelopmentstorage')?.toLowerCase() === 'true') {
    const proxy = fields.get('developmentstorageproxyuri') ?? 'http://127.0.0.1';
    return {
      ok: true,
      value: {
        accountName: DEV_ACCOUNT,
        accountKey: DEV_KEY,
        blobEndpoint: `${proxy.replace(/\/+$/, '')}:10000/${DEV_ACCOUNT}`,
      },
    };
  }
  const accountName = fields.get('accountname');
  const accountKey = fields.get('accountkey');
  const sas = fields.get('sharedaccesssignature')?.replace(/^\?/, '');
  let blobEndpoint = fields.get('blobendpoint');
  if (!blobEndpoint) {
    if (!accountName) return { ok: false, message: 'connection string has neither BlobEndpoint nor AccountName' };
    const protocol = fields.get('defaultendpointsprotocol') ?? 'https';
    const suffix = fields.get('endpointsuffix') ?? 'core.windows.net';
    blobEndpoint = `${protocol}://${accountName}.blob.${suffix}`;
  }
  if (!accountKey && !sas) {
    return { ok: false, message: 'connection string has neither AccountKey nor SharedAccessSignature' };
  }
  if (accountKey && !accountName) return { ok: false, message: 'connection string has AccountKey but no AccountName' };
  // Checked here, not found out as a DNS error (exit 3): the key is base64, the endpoint an http(s) URL with a host.
  if (accountKey && !isBase64(accountKey)) return { ok: false, message: 'connection string AccountKey is not base64' };
  const endpointProblem = badEndpoint(blobEndpoint);
  if (endpointProblem) return { ok: false, message: `connection string ${endpointProblem}` };
  return { ok: true, value: { accountName, accountKey, sas, blobEndpoint: blobEndpoint.replace(/\/+$/, '') } };
}

/** An account key as the portal gives it: base64 characters (a shared key is 64 bytes, 88 characters). */
export function isBase64(key: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(key);
}

/**
 * Why `url` cannot be a blob endpoint (not a URL, not http(s), a host ending in a dot), or undefined; `name` is what
 * the message calls it.
 */
export function badEndpoint(url: string, name = 'BlobEndpoint'): string | undefined {
  if (!URL.canParse(url)) return `${name} is not a URL`;
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `${name} is not an http(s) URL (${u.protocol})`;
  if (u.hostname === '' || u.hostname.endsWith('.')) return `${name} has no complete host (${u.host})`;
  return undefined;
}
