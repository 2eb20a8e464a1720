/**
 * Which credential and endpoint to use, first match wins (the order README.md gives). Pure: decides, creates nothing,
 * so the choice is testable without a network and @azure/identity loads only when it is the answer.
 */
import { CnmError } from '../core/errors.js';
import type { BlobRef } from '../core/blob-ref.js';
import { parseConnectionString } from '../core/connection-string.js';

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
  if (opts.accountUrl) return opts.accountUrl.replace(/\/+$/, '');
  if (accountName) return `https://${accountName}.blob.core.windows.net`;
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

export function chooseAccess(ref: BlobRef, opts: ConnectionOptions, env: Env): AccessPlan {
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
