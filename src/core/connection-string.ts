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
  if (!URL.canParse(blobEndpoint)) return { ok: false, message: 'connection string BlobEndpoint is not a URL' };
  return { ok: true, value: { accountName, accountKey, sas, blobEndpoint: blobEndpoint.replace(/\/+$/, '') } };
}
