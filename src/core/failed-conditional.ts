/**
 * Which failed requests are condition failures: the ones cnm explains. One definition, used by the capture
 * policy (which requests it writes down) and by replay and diagnose (which requests of a log they pick), so
 * both pick the same requests.
 */
import type { HeaderMap } from './types.js';

const CONDITIONAL_PREFIXES = ['if-', 'x-ms-if-', 'x-ms-source-if-', 'x-ms-blob-condition-', 'x-ms-blob-if-'];

/** A header that makes the request conditional (If-*, lease id, tags, append/size/sequence conditions). */
function isConditionalHeader(name: string): boolean {
  const key = name.toLowerCase();
  return key === 'x-ms-lease-id' || CONDITIONAL_PREFIXES.some((p) => key.startsWith(p));
}

/**
 * 412 and 304 are condition outcomes by definition. Any other failure (409, 400, …) counts when the request
 * carried a condition, a lease id or a lease action (a Lease Blob 409 such as LeaseAlreadyPresent); a bare 409
 * ContainerAlreadyExists from createIfNotExists does not. Header names are compared case-insensitively.
 */
export function isFailedConditional(status: number, requestHeaders: HeaderMap): boolean {
  if (status === 412 || status === 304) return true;
  if (status < 400) return false;
  return Object.keys(requestHeaders).some((h) => isConditionalHeader(h) || h.toLowerCase() === 'x-ms-lease-action');
}
