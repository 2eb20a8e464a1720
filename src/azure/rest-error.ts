/**
 * The SDK's errors and headers as cnm reads them, in one place. The error code is read from
 * `details.errorCode` or the `x-ms-error-code` header, never from `err.code` alone: HEAD and 304 responses
 * have no body, so `code` and `message` are empty there (@azure/storage-blob's RestError carries the
 * response headers in `response.headers` and the parsed body in `details`).
 */
import type { HeaderMap } from '../core/types.js';

/** @azure/core-rest-pipeline's RestError, or a network error the pipeline passed through. */
export interface RestErrorLike {
  name?: string;
  code?: string;
  message?: string;
  statusCode?: number;
  details?: { errorCode?: string; [k: string]: unknown };
  response?: { status?: number; headers?: HeadersLike };
  cause?: unknown;
}

/** core-http-compat headers (`headersArray`) on responses; core-rest-pipeline headers (`get`, `toJSON`) on a RestError's. */
export interface HeadersLike {
  get?(name: string): string | undefined;
  headersArray?(): Array<{ name: string; value: string }>;
  toJSON?(): Record<string, string>;
}

/** Azure's facts about a failed request: what `cnm` reports and the error carries. */
export interface AzureFacts {
  status?: number;
  errorCode?: string;
  requestId?: string;
}

/** Every header, names lower-cased. */
export function headerMap(headers: HeadersLike | undefined): HeaderMap {
  const pairs =
    headers?.headersArray?.().map(({ name, value }) => [name, value] as const) ??
    Object.entries(headers?.toJSON?.() ?? {});
  const out: HeaderMap = {};
  for (const [name, value] of pairs) out[name.toLowerCase()] = value;
  return out;
}

export function azureFacts(err: unknown): AzureFacts {
  const e = (err ?? {}) as RestErrorLike;
  const header = (name: string) => e.response?.headers?.get?.(name) ?? undefined;
  const details = e.details && typeof e.details === 'object' ? e.details : undefined;
  const errorCode =
    (typeof details?.errorCode === 'string' ? details.errorCode : undefined) ?? header('x-ms-error-code');
  const requestId =
    header('x-ms-request-id') ?? (typeof details?.['requestId'] === 'string' ? details['requestId'] : undefined);
  return { status: e.statusCode ?? e.response?.status, errorCode, requestId };
}
