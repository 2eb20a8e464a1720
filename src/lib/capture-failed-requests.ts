/**
 * An @azure/storage-blob pipeline policy that saves every failed conditional request as a capture (docs/formats.md),
 * redacted by cnm's allow-list, so an application produces the files `cnm replay` and `cnm diagnose` read.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestPolicy, RequestPolicyFactory, RequestPolicyOptions, WebResource } from '@azure/storage-blob';
import { headerMap, type HeadersLike, type RestErrorLike } from '../azure/rest-error.js';
import { redactCapture } from '../core/redact.js';
import { isFailedConditional } from '../core/failed-conditional.js';
import type { Capture } from '../core/types.js';

export { isFailedConditional } from '../core/failed-conditional.js';

export interface CaptureOptions {
  /** Folder for the capture files (created when missing). */
  dir: string;
  /** Called when a capture cannot be written; the request's outcome is never changed by a capture failure. */
  onError?: (err: unknown) => void;
  /** Called with the path of each capture written. */
  onCapture?: (file: string, capture: Capture) => void;
}

function fileName(capture: Capture): string {
  const id = capture.response?.headers['x-ms-request-id'] ?? randomUUID();
  const time = (capture.request.time ?? new Date().toISOString()).replace(/[:.]/g, '-');
  return `${time}-${capture.response?.status ?? 0}-${id.replace(/[^A-Za-z0-9-]/g, '')}.json`;
}

async function save(options: CaptureOptions, capture: Capture): Promise<void> {
  try {
    await mkdir(options.dir, { recursive: true });
    const file = join(options.dir, fileName(capture));
    await writeFile(file, JSON.stringify(capture, null, 2) + '\n', { flag: 'wx' });
    options.onCapture?.(file, capture);
  } catch (err) {
    options.onError?.(err);
  }
}

/**
 * A request policy factory that writes a capture file (docs/formats.md, redacted) for every failed conditional request:
 * 412 and 304 always, 409 and other 4xx/5xx when the request carried a condition or a lease id.
 * Add it first so it sees the final answer after the SDK's retries:
 *
 * @example
 * const pipeline = newPipeline(credential);
 * pipeline.factories.unshift(captureFailedRequests({ dir: './captures' }));
 * const service = new BlobServiceClient(url, pipeline);
 */
export function captureFailedRequests(options: CaptureOptions): RequestPolicyFactory {
  return {
    create(next: RequestPolicy, _options: RequestPolicyOptions): RequestPolicy {
      return {
        async sendRequest(req: WebResource) {
          const time = new Date().toISOString();
          const record = async (status: number, responseHeaders: HeadersLike | undefined) => {
            const headers = headerMap(req.headers);
            if (!isFailedConditional(status, headers)) return;
            const raw: Capture = {
              request: { method: req.method, url: req.url, headers, time },
              response: { status, headers: headerMap(responseHeaders) },
            };
            await save(options, redactCapture(raw));
          };
          try {
            const res = await next.sendRequest(req);
            await record(res.status, res.headers);
            return res;
          } catch (err) {
            // The SDK's deserializer throws a RestError for 4xx/5xx before the response reaches this policy.
            const e = err as RestErrorLike;
            const status = e?.statusCode ?? e?.response?.status;
            if (typeof status === 'number') await record(status, e.response?.headers);
            throw err;
          }
        },
      };
    },
  };
}
