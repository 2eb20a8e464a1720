/**
 * `--timeout` as a client-side limit on every try. The SDK's `tryTimeoutInMs` only sets the
 * server-side `timeout=` query parameter (storage-common StorageRetryPolicyV2), so a hung
 * connection would otherwise wait for the OS; `request.timeout` makes the HTTP client abort it.
 */
import type { RequestPolicy, RequestPolicyFactory, RequestPolicyOptions, WebResource } from '@azure/storage-blob';

export function timeoutPolicy(ms: number): RequestPolicyFactory {
  return {
    create(next: RequestPolicy, _options: RequestPolicyOptions): RequestPolicy {
      return {
        sendRequest(req: WebResource) {
          req.timeout = ms;
          return next.sendRequest(req);
        },
      };
    },
  };
}
