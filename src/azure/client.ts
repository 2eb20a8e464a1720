/**
 * Builds the @azure/storage-blob service client for an AccessPlan. @azure/identity is imported here,
 * dynamically, only when the plan is DefaultAzureCredential (its import costs ~100 ms).
 */
import {
  AnonymousCredential,
  BlobServiceClient,
  StorageSharedKeyCredential,
  newPipeline,
  type Pipeline,
  type RequestPolicyFactory,
} from '@azure/storage-blob';
import type { TokenCredential } from '@azure/core-auth';
import type { AccessPlan } from './access-plan.js';
import { VERSION } from '../core/version.js';
import { timeoutPolicy } from './timeout-policy.js';

export interface ClientOptions {
  /** Client-side limit per try in ms (`--timeout`). */
  timeout: number;
  /** Tries per request; diagnostics want a quick, honest answer rather than a long retry tail. */
  maxTries?: number;
  /** Extra request policies (the --debug trace, the capture policy). */
  policies?: RequestPolicyFactory[];
}

export type Credential = StorageSharedKeyCredential | AnonymousCredential | TokenCredential;

export async function credentialFor(plan: AccessPlan): Promise<Credential> {
  if (plan.kind === 'shared-key') return new StorageSharedKeyCredential(plan.accountName, plan.accountKey);
  if (plan.kind === 'sas') return new AnonymousCredential();
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

function buildPipeline(credential: Credential, options: ClientOptions): Pipeline {
  const pipeline = newPipeline(credential, {
    retryOptions: {
      maxTries: options.maxTries ?? 3,
      retryDelayInMs: 300,
      maxRetryDelayInMs: 3000,
    },
    userAgentOptions: { userAgentPrefix: `cnm/${VERSION}` },
  });
  for (const policy of [timeoutPolicy(options.timeout), ...(options.policies ?? [])])
    pipeline.factories.unshift(policy);
  return pipeline;
}

export function serviceClientFor(plan: AccessPlan, credential: Credential, options: ClientOptions): BlobServiceClient {
  const url = plan.kind === 'sas' && plan.sas ? `${plan.endpoint}?${plan.sas}` : plan.endpoint;
  return new BlobServiceClient(url, buildPipeline(credential, options));
}
