/** From a user's blob reference and the global options to a ready SDK client (SPEC §2). */
import type { BlobServiceClient } from '@azure/storage-blob';
import { CnmError } from '../cli/errors.js';
import type { Context } from '../cli/context.js';
import { blobRefUrl, parseBlobRef, type BlobRef } from '../core/blob-ref.js';
import { chooseAccess, planSecrets, type AccessPlan } from './access-plan.js';
import { credentialFor, serviceClientFor } from './client.js';
import { debugTracePolicy } from './debug-trace.js';
import { redactText } from '../core/redact.js';

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
  /** The blob's (or container's) URL without any SAS. */
  url: string;
  /** `blob c/name at <endpoint>`, for messages. */
  what: string;
}

export function parseRefOrThrow(input: string, container = false): BlobRef {
  const parsed = parseBlobRef(input, { container });
  if (!parsed.ok) throw new CnmError('usage', parsed.message, { hint: 'use a blob URL or <container>/<name>' });
  return parsed.value;
}

export async function openTarget(ref: BlobRef, ctx: Context): Promise<Target> {
  const plan = chooseAccess(ref, ctx.options, ctx.env);
  ctx.secrets.push(...planSecrets(plan, ctx.options, ctx.env));
  const policies = ctx.options.debug ? [debugTracePolicy((l) => ctx.stderr(redactText(l, ctx.secrets)))] : [];
  const credential = await credentialFor(plan);
  const service = serviceClientFor(plan, credential, { timeout: ctx.options.timeout, policies });
  const sendOnce = () => serviceClientFor(plan, credential, { timeout: ctx.options.timeout, policies, maxTries: 1 });
  const url = blobRefUrl(ref, plan.endpoint);
  const path = ref.name ? `${ref.container}/${ref.name}` : ref.container;
  return { ref, plan, service, sendOnce, url, what: `${ref.name ? 'blob' : 'container'} ${path} at ${plan.endpoint}` };
}
