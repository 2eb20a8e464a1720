/**
 * Which credential and endpoint to use, first match wins (the order README.md gives). Pure: decides, creates nothing,
 * so the choice is testable without a network and @azure/identity loads only when it is the answer.
 */
import { CnmError } from '../core/errors.js';
import type { BlobRef } from '../core/blob-ref.js';
import { badEndpoint, isBase64, parseConnectionString } from '../core/connection-string.js';

export interface ConnectionOptions {
  connectionString?: string;
  sas?: string;
  accountKey?: string;
  accountName?: string;
  accountUrl?: string;
}

export type Env = Record<string, string | undefined>;

export type AccessPlan =
  | { kind: 'shared-key'; endpoint: string; accountName: string; accountKey: string; from: string }
  | { kind: 'sas'; endpoint: string; sas: string; from: string }
  | { kind: 'default-azure-credential'; endpoint: string; from: string };

function endpointFor(ref: BlobRef, opts: ConnectionOptions, accountName?: string): string | undefined {
  if (ref.accountUrl) return ref.accountUrl;
  if (opts.accountUrl) {
    const problem = badEndpoint(opts.accountUrl, 'the URL');
    if (problem) throw new CnmError('usage', `--account-url: ${problem}`);
    return opts.accountUrl.replace(/\/+$/, '');
  }
  if (accountName) {
    // Storage account names: 3–24 lower-case letters and digits (learn.microsoft.com/azure/storage/common/storage-account-overview#storage-account-name).
    if (!/^[a-z0-9]{3,24}$/.test(accountName))
      throw new CnmError('usage', `account name "${accountName}" is not a storage account name`, {
        hint: 'account names are 3–24 lower-case letters and digits; or pass --account-url',
      });
    return `https://${accountName}.blob.core.windows.net`;
  }
  return undefined;
}

function noEndpoint(): CnmError {
  return new CnmError('usage', 'no storage account given', {
    hint: 'pass a full blob URL, --account-url, --account-name or --connection-string',
  });
}

function fromConnectionString(ref: BlobRef, text: string, from: string): AccessPlan {
  const parsed = parseConnectionString(text);
  if (!parsed.ok) throw new CnmError('usage', `${from}: ${parsed.message}`);
  const cs = parsed.value;
  const endpoint = ref.accountUrl ?? cs.blobEndpoint;
  if (cs.accountKey && cs.accountName) {
    return { kind: 'shared-key', endpoint, accountName: cs.accountName, accountKey: cs.accountKey, from };
  }
  return { kind: 'sas', endpoint, sas: cs.sas ?? '', from };
}

/** Azure Storage's blob endpoints (public, China, US Government clouds; Azure DNS zone endpoints), by host suffix. */
const AZURE_BLOB_HOSTS = [
  '.blob.core.windows.net',
  '.blob.core.chinacloudapi.cn',
  '.blob.core.usgovcloudapi.net',
  '.blob.storage.azure.net',
];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function hostOf(url: string | undefined): string | undefined {
  return url && URL.canParse(url) ? new URL(url).hostname.toLowerCase() : undefined;
}

/**
 * The account URL came from the reference (a capture's URL, a URL typed or in a jobs file) and the credential did
 * not: it is sent there only when the host is Azure Storage's, the emulator's (loopback), or the one the
 * credential's own settings name. A crafted capture must not collect a bearer token or a signed request.
 */
function guardCredentialHost(ref: BlobRef, plan: AccessPlan, configured: Array<string | undefined>): AccessPlan {
  if (!ref.accountUrl || plan.from === 'the SAS in the URL') return plan;
  const host = hostOf(ref.accountUrl);
  if (!host) return plan;
  if (LOOPBACK.has(host) || AZURE_BLOB_HOSTS.some((suffix) => host.endsWith(suffix))) return plan;
  if (configured.some((c) => hostOf(c) === host)) return plan;
  throw new CnmError(
    'usage',
    `the URL's host ${host} is not an Azure Storage endpoint, and cnm does not send your credentials (${plan.from}) to another host`,
    {
      hint: `if it is your storage endpoint (a custom domain, a proxy), confirm it with --account-url ${new URL(ref.accountUrl).origin}`,
    },
  );
}

export function chooseAccess(ref: BlobRef, opts: ConnectionOptions, env: Env): AccessPlan {
  const plan = choosePlan(ref, opts, env);
  return guardCredentialHost(ref, plan, [opts.accountUrl, connectionEndpoint(opts, env)]);
}

/** The blob endpoint the connection string in use names, if one does. */
function connectionEndpoint(opts: ConnectionOptions, env: Env): string | undefined {
  const cs = opts.connectionString ?? env.AZURE_STORAGE_CONNECTION_STRING;
  const parsed = cs ? parseConnectionString(cs) : undefined;
  return parsed?.ok ? parsed.value.blobEndpoint : undefined;
}

function choosePlan(ref: BlobRef, opts: ConnectionOptions, env: Env): AccessPlan {
  const cs = opts.connectionString ?? env.AZURE_STORAGE_CONNECTION_STRING;
  if (cs) {
    return fromConnectionString(
      ref,
      cs,
      opts.connectionString ? '--connection-string' : 'AZURE_STORAGE_CONNECTION_STRING',
    );
  }
  const accountName = opts.accountName ?? env.AZURE_STORAGE_ACCOUNT ?? ref.account;
  const endpoint = endpointFor(ref, opts, accountName);
  const sas = ref.sas ?? opts.sas ?? env.AZURE_STORAGE_SAS_TOKEN;
  if (sas) {
    if (!endpoint) throw noEndpoint();
    const from = ref.sas ? 'the SAS in the URL' : opts.sas ? '--sas' : 'AZURE_STORAGE_SAS_TOKEN';
    return { kind: 'sas', endpoint, sas: sas.replace(/^\?/, ''), from };
  }
  const key = opts.accountKey ?? env.AZURE_STORAGE_KEY;
  if (key) {
    if (!accountName) {
      throw new CnmError('usage', 'an account key was given without an account name', {
        hint: 'pass --account-name or set AZURE_STORAGE_ACCOUNT',
      });
    }
    if (!endpoint) throw noEndpoint();
    if (!isBase64(key))
      throw new CnmError('usage', `${opts.accountKey ? '--account-key' : 'AZURE_STORAGE_KEY'} is not base64`, {
        hint: 'the key as the portal or `az storage account keys list` shows it',
      });
    return {
      kind: 'shared-key',
      endpoint,
      accountName,
      accountKey: key,
      from: opts.accountKey ? '--account-key' : 'AZURE_STORAGE_KEY',
    };
  }
  if (!endpoint) throw noEndpoint();
  return { kind: 'default-azure-credential', endpoint, from: 'DefaultAzureCredential' };
}

/** Every secret the plan holds, so free-text redaction can scrub them wherever they appear. */
export function planSecrets(plan: AccessPlan, opts: ConnectionOptions, env: Env): string[] {
  const secrets = [opts.connectionString, env.AZURE_STORAGE_CONNECTION_STRING, opts.accountKey, env.AZURE_STORAGE_KEY];
  if (plan.kind === 'shared-key') secrets.push(plan.accountKey);
  if (plan.kind === 'sas') {
    const sig = new URLSearchParams(plan.sas).get('sig');
    if (sig) secrets.push(sig, encodeURIComponent(sig));
  }
  return secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
}
