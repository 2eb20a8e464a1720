/**
 * Builds the @azure/storage-blob service client for an AccessPlan. @azure/identity is imported here,
 * dynamically, only when the plan is DefaultAzureCredential (its import costs ~100 ms).
 */
import {
  AnonymousCredential,
  BlobClient,
  BlobServiceClient,
  StorageSharedKeyCredential,
  newPipeline,
  type Pipeline,
  type RequestPolicyFactory,
} from '@azure/storage-blob';
import type { TokenCredential } from '@azure/core-auth';
import type { AccessPlan } from './access-plan.js';
import { VERSION } from '../core/version.js';
import { readRetryPolicy } from './read-retry-policy.js';
import { resolveHostPolicy } from './resolve-host.js';
import { timeoutPolicy } from './timeout-policy.js';

export interface ClientOptions {
  /** Client-side limit on each request's whole exchange, retries included, in ms (`--timeout`). */
  timeout: number;
  /** Tries per read (writes are always sent once); diagnostics want a quick, honest answer, not a long retry tail. */
  maxTries?: number;
  /** Extra request policies (the --debug trace, the capture policy). */
  policies?: RequestPolicyFactory[];
  /**
   * Retry writes as an application does: the SDK's own retry policy (4 tries, exponential backoff), for
   * `cnm load`, whose writers stand in for the user's write path. Never for cnm's own `--execute`.
   */
  asApplication?: boolean;
}

export type Credential = StorageSharedKeyCredential | AnonymousCredential | TokenCredential;

export async function credentialFor(plan: AccessPlan, timeoutMs: number): Promise<Credential> {
  if (plan.kind === 'shared-key') return new StorageSharedKeyCredential(plan.accountName, plan.accountKey);
  if (plan.kind === 'sas') return new AnonymousCredential();
  const { DefaultAzureCredential } = await import('@azure/identity');
  return withinTimeout(new DefaultAzureCredential(), timeoutMs);
}

/**
 * DefaultAzureCredential tries one source after another (environment, workload identity, managed identity, the
 * Azure CLI, …); some ignore an abort signal (a spawned `az`), and probing a managed-identity endpoint that drops
 * packets takes seconds. Getting a token is bounded by --timeout like every request.
 */
function withinTimeout(credential: TokenCredential, ms: number): TokenCredential {
  return {
    getToken(scopes, options) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`DefaultAzureCredential got no token within the --timeout (${ms} ms): authentication failed`),
            ),
          ms,
        );
        timer.unref();
      });
      return Promise.race([credential.getToken(scopes, options), late]).finally(() => clearTimeout(timer));
    },
  };
}

function buildPipeline(credential: Credential, options: ClientOptions): Pipeline {
  const pipeline = newPipeline(credential, {
    // The SDK retries neither 429 nor by Retry-After; readRetryPolicy does, for reads only.
    // StorageRetryPolicy's defaults are 4 tries from a 4 s base delay; a load run keeps the tries, not the wait.
    retryOptions: options.asApplication
      ? { maxTries: 4, retryDelayInMs: 200, maxRetryDelayInMs: 2000 }
      : { maxTries: 1 },
    userAgentOptions: { userAgentPrefix: `cnm/${VERSION}` },
  });
  const tries = options.asApplication ? 1 : (options.maxTries ?? 3);
  // First is outermost: the timeout bounds every try and wait; each try is traced.
  pipeline.factories.unshift(
    timeoutPolicy(options.timeout),
    resolveHostPolicy(options.timeout),
    ...(tries > 1 ? [readRetryPolicy({ maxTries: tries, timeoutMs: options.timeout })] : []),
    ...(options.policies ?? []),
  );
  return pipeline;
}

export function serviceClientFor(plan: AccessPlan, credential: Credential, options: ClientOptions): BlobServiceClient {
  const url = plan.kind === 'sas' && plan.sas ? `${plan.endpoint}?${plan.sas}` : plan.endpoint;
  return new BlobServiceClient(url, buildPipeline(credential, options));
}

/**
 * A blob of another account, read with the SAS in its own URL (a copy source): the same timeout, read retries and
 * trace as cnm's own clients, where the SDK's default client would wait its own 4 tries from a 4 s base delay,
 * ignoring --timeout.
 */
export function blobClientAt(url: string, options: ClientOptions): BlobClient {
  return new BlobClient(url, buildPipeline(new AnonymousCredential(), options));
}
