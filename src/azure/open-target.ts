/** From a user's blob reference and the global options to a ready SDK client. */
import type { BlobClient, BlobServiceClient, RequestPolicyFactory } from '@azure/storage-blob';
import { CnmError } from '../core/errors.js';
import type { AzureAccess } from './access.js';
import { blobRefUrl, parseBlobRef, type BlobRef } from '../core/blob-ref.js';
import { chooseAccess, planSecrets, type AccessPlan } from './access-plan.js';
import { blobClientAt, credentialFor, serviceClientFor } from './client.js';
import { debugTracePolicy } from './debug-trace.js';

export interface Target {
  ref: BlobRef;
  plan: AccessPlan;
  /** For reads: a few quick retries of transient failures (reads are safe to repeat). */
  service: BlobServiceClient;
  /**
   * For `--execute`: the same credential, but `maxTries: 1` — a write goes out exactly once. A retry after a
   * lost response could apply it twice (an Append Block appended again, a Put Blob over a newer write).
   */
  sendOnce(): BlobServiceClient;
  /** A blob of another account, by a URL that carries its own SAS (a copy source), read under the same --timeout. */
  foreignBlob(url: string): BlobClient;
  /**
   * The same credential with `extra` policies first (e.g. a request counter), retrying writes as an application's
   * SDK client does by default: `cnm load`'s writers stand in for the user's own write path. One client per caller.
   */
  asApplication(extra: RequestPolicyFactory[]): BlobServiceClient;
  /** The blob's (or container's) URL without any SAS. */
  url: string;
  /** `blob c/name at <endpoint>`, for messages. */
  what: string;
}

/**
 * The blob a reference names: the snapshot or version when the URL carries `?snapshot=` or `?versionid=`, so a
 * request on a snapshot is judged against that snapshot (its own ETag), not the base blob.
 */
export function blobClientOf(service: BlobServiceClient, ref: BlobRef): BlobClient {
  const base = service.getContainerClient(ref.container).getBlobClient(ref.name!);
  if (ref.snapshot) return base.withSnapshot(ref.snapshot);
  return ref.versionId ? base.withVersion(ref.versionId) : base;
}

export function parseRefOrThrow(input: string, container = false): BlobRef {
  const parsed = parseBlobRef(input, { container });
  if (!parsed.ok) throw new CnmError('usage', parsed.message, { hint: 'use a blob URL or <container>/<name>' });
  return parsed.value;
}

export async function openTarget(ref: BlobRef, access: AzureAccess): Promise<Target> {
  const plan = chooseAccess(ref, access.connection, access.env);
  access.secrets.add(...planSecrets(plan, access.connection, access.env));
  const policies = access.trace ? [debugTracePolicy(access.trace)] : [];
  const credential = await credentialFor(plan, access.timeout);
  const service = serviceClientFor(plan, credential, { timeout: access.timeout, policies });
  const sendOnce = () => serviceClientFor(plan, credential, { timeout: access.timeout, policies, maxTries: 1 });
  const asApplication = (extra: RequestPolicyFactory[]) =>
    serviceClientFor(plan, credential, {
      timeout: access.timeout,
      policies: [...policies, ...extra],
      asApplication: true,
    });
  const url = blobRefUrl(ref, plan.endpoint);
  const at = ref.snapshot ? ` (snapshot ${ref.snapshot})` : ref.versionId ? ` (version ${ref.versionId})` : '';
  const path = `${ref.name ? `${ref.container}/${ref.name}` : ref.container}${at}`;
  return {
    ref,
    plan,
    service,
    sendOnce,
    foreignBlob: (url: string) => blobClientAt(url, { timeout: access.timeout, policies }),
    asApplication,
    url,
    what: `${ref.name ? 'blob' : 'container'} ${path} at ${plan.endpoint}`,
  };
}
