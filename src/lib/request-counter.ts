/**
 * Counts what a writer's requests met, as a pipeline policy placed first (one count per SDK operation, before the
 * SDK's own retries): writes sent, writes refused on a condition, lease actions refused because another holds it.
 */
import type { RequestPolicy, RequestPolicyFactory, RequestPolicyOptions, WebResource } from '@azure/storage-blob';
import { headerMap, type RestErrorLike } from '../azure/rest-error.js';
import { classifyRequest } from './audit-request.js';

export interface RequestCounts {
  /** Writes that change the blob (Put Blob, Put Block List, Set Blob Metadata, …), as operations. */
  writes: number;
  /** Of those, answered 412 (a failed condition) or 409 BlobAlreadyExists (If-None-Match: * on an existing blob). */
  conditionFailures: number;
  /** Lease acquires answered 409: another writer held the lease. */
  leaseConflicts: number;
}

export function emptyCounts(): RequestCounts {
  return { writes: 0, conditionFailures: 0, leaseConflicts: 0 };
}

export function countRequests(counts: RequestCounts): RequestPolicyFactory {
  return {
    create(next: RequestPolicy, _options: RequestPolicyOptions): RequestPolicy {
      return {
        async sendRequest(req: WebResource) {
          const r = classifyRequest(req.method, req.url, headerMap(req.headers));
          if (r?.kind === 'write') counts.writes++;
          const record = (status: number, errorCode: string | undefined) => {
            if (r?.kind === 'write' && (status === 412 || (status === 409 && errorCode === 'BlobAlreadyExists')))
              counts.conditionFailures++;
            if (r?.kind === 'lease' && r.leaseAction === 'acquire' && status === 409) counts.leaseConflicts++;
          };
          try {
            const res = await next.sendRequest(req);
            record(res.status, res.headers.get('x-ms-error-code'));
            return res;
          } catch (err) {
            const e = err as RestErrorLike;
            const status = e?.statusCode ?? e?.response?.status;
            if (typeof status === 'number') record(status, e.response?.headers?.get?.('x-ms-error-code'));
            throw err;
          }
        },
      };
    },
  };
}
