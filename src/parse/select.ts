/**
 * Which captures of a multi-request source (HAR, SDK log, Azurite log) a command should look at
 * (docs/formats.md): the ones carrying the request id asked for, else the failed conditional ones.
 */
import type { Capture } from '../core/types.js';
import { isFailedConditional as failedOnCondition } from '../core/failed-conditional.js';

const ID_HEADERS = ['x-ms-request-id', 'x-ms-client-request-id'] as const;

/** True when the request or response carries `id` as x-ms-request-id or x-ms-client-request-id. */
export function matchesRequestId(capture: Capture, id: string): boolean {
  const wanted = id.trim().toLowerCase();
  return ID_HEADERS.some(
    (h) =>
      capture.request.headers[h]?.toLowerCase() === wanted || capture.response?.headers[h]?.toLowerCase() === wanted,
  );
}

/** A capture whose response failed on a condition (core/failed-conditional.ts says which do). */
function isFailedConditional(capture: Capture): boolean {
  const status = capture.response?.status;
  return status !== undefined && failedOnCondition(status, capture.request.headers);
}

export function selectCaptures(captures: readonly Capture[], requestId?: string): Capture[] {
  if (requestId) return captures.filter((c) => matchesRequestId(c, requestId));
  return captures.filter(isFailedConditional);
}
