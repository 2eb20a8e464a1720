/**
 * An @azure/storage-blob pipeline policy for development, test and staging: it watches the requests the process
 * sends and reports the ETag and lease mistakes that end in 412s in production — a cached ETag reused across writes,
 * a create-only write on an overwrite path, an unconditional write beside conditional ones, a refused write resent
 * unchanged, a lease id used after the lease was released, broken or expired. It never changes a request or its
 * outcome. The rule that keeps honest contention from being reported is in audit-ledger.ts.
 */
import type { RequestPolicy, RequestPolicyFactory, RequestPolicyOptions, WebResource } from '@azure/storage-blob';
import { headerMap, type HeadersLike, type RestErrorLike } from '../azure/rest-error.js';
import { redactCapture, redactUrl } from '../core/redact.js';
import type { Capture } from '../core/types.js';
import { AuditLedger, type AuditFindingKind } from './audit-ledger.js';
import { classifyRequest } from './audit-request.js';

export type { AuditFindingKind } from './audit-ledger.js';

export interface AuditFinding {
  kind: AuditFindingKind;
  /** The blob's URL, without a query (so without a SAS). */
  blob: string;
  /** What was seen and what to change, in a sentence or two. */
  detail: string;
  /** The request and the service's answer as a capture (docs/formats.md), redacted: `cnm replay` and `cnm diagnose` read it. */
  capture: Capture;
}

export interface AuditOptions {
  /** Called once per finding, after the request's answer arrived. An exception it throws is ignored. */
  onFinding: (finding: AuditFinding) => void;
}

const clock = () => performance.now();

/**
 * A request policy factory that audits conditional requests. One factory keeps one memory: add the same factory to
 * every pipeline whose requests it should see together (the readers' and the writers'), first, so it sees each
 * operation once, before the SDK's retries:
 *
 * @example
 * const audit = auditConditionalRequests({ onFinding: (f) => console.warn(`${f.kind} ${f.blob}: ${f.detail}`) });
 * const pipeline = newPipeline(credential);
 * pipeline.factories.unshift(audit);
 * const service = new BlobServiceClient(url, pipeline);
 */
export function auditConditionalRequests(options: AuditOptions): RequestPolicyFactory {
  const ledger = new AuditLedger();
  return {
    create(next: RequestPolicy, _options: RequestPolicyOptions): RequestPolicy {
      return {
        async sendRequest(req: WebResource) {
          const headers = headerMap(req.headers);
          const audited = classifyRequest(req.method, req.url, headers);
          if (!audited) return next.sendRequest(req);
          const time = new Date().toISOString();
          const pending = ledger.beforeSend(audited, clock());
          let status = 0;
          let answer: HeadersLike | undefined;
          try {
            const res = await next.sendRequest(req);
            status = res.status;
            answer = res.headers;
            return res;
          } catch (err) {
            // The SDK's deserializer throws a RestError for 4xx/5xx before the response reaches this policy.
            const e = err as RestErrorLike;
            status = e?.statusCode ?? e?.response?.status ?? 0;
            answer = e?.response?.headers;
            throw err;
          } finally {
            const responseHeaders = headerMap(answer);
            ledger.afterResponse(audited, pending, status, responseHeaders, clock());
            for (const f of pending.findings) {
              const capture = redactCapture({
                request: { method: req.method, url: req.url, headers, time },
                response: { status, headers: responseHeaders },
              });
              try {
                options.onFinding({ kind: f.kind, blob: redactUrl(audited.blob), detail: f.detail, capture });
              } catch {
                // A finding must never change the request's outcome.
              }
            }
          }
        },
      };
    },
  };
}
