/**
 * Which captures of a multi-request source (HAR, SDK log, Azurite log) a command should look at
 * (SPEC §4): the ones carrying the request id asked for, else the failed conditional ones.
 */
import type { Capture } from '../core/types.js';
import { hasConditions } from './headers.js';

const ID_HEADERS = ['x-ms-request-id', 'x-ms-client-request-id'] as const;

/** True when the request or response carries `id` as x-ms-request-id or x-ms-client-request-id. */
export function matchesRequestId(capture: Capture, id: string): boolean {
  const wanted = id.trim().toLowerCase();
  return ID_HEADERS.some(
    (h) =>
      capture.request.headers[h]?.toLowerCase() === wanted || capture.response?.headers[h]?.toLowerCase() === wanted,
  );
}

/** Statuses a failed condition produces: 412 (most), 304 (reads), 409 (If-None-Match:* create on Azurite, leases). */
const CONDITION_STATUSES = new Set([412, 409, 304]);

/** A response with a condition-failure status, or any other failure of a request that carried conditions. */
export function isFailedConditional(capture: Capture): boolean {
  const status = capture.response?.status;
  if (status === undefined) return false;
  if (CONDITION_STATUSES.has(status)) return true;
  return status >= 400 && hasConditions(capture.request.headers);
}

export function selectCaptures(captures: readonly Capture[], requestId?: string): Capture[] {
  if (requestId) return captures.filter((c) => matchesRequestId(c, requestId));
  return captures.filter(isFailedConditional);
}
