/**
 * The --debug HTTP trace: one line per request and response on stderr, redacted by the same
 * allow-list as every report (Authorization and unknown headers print as REDACTED).
 */
import type { RequestPolicy, RequestPolicyFactory, RequestPolicyOptions, WebResource } from '@azure/storage-blob';
import { redactHeaders, redactUrl } from '../core/redact.js';
import { headerMap } from './rest-error.js';

export function debugTracePolicy(write: (line: string) => void): RequestPolicyFactory {
  return {
    create(next: RequestPolicy, _options: RequestPolicyOptions): RequestPolicy {
      return {
        async sendRequest(req: WebResource) {
          const started = Date.now();
          write(`→ ${req.method} ${redactUrl(req.url)} ${JSON.stringify(redactHeaders(headerMap(req.headers)))}`);
          try {
            const res = await next.sendRequest(req);
            write(
              `← ${res.status} in ${Date.now() - started} ms ${JSON.stringify(redactHeaders(headerMap(res.headers)))}`,
            );
            return res;
          } catch (err) {
            write(`← failed after ${Date.now() - started} ms: ${(err as Error).message}`);
            throw err;
          }
        },
      };
    },
  };
}
