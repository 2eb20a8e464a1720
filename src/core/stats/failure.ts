/**
 * Which answers `cnm stats` counts as condition failures: every 412 (ConditionNotMet and its kin), and the 409s a
 * condition or a lease causes (BlobAlreadyExists for If-None-Match: *, the Lease* codes,
 * learn.microsoft.com/rest/api/storageservices/blob-service-error-codes). 304 Not Modified is a condition's answer
 * too, but a success for the reader who asked: counted apart. Pure.
 */
import { isFailedConditional } from '../failed-conditional.js';
import type { Observed } from '../diagnose/types.js';

export type Outcome = 'failure' | 'not-modified' | 'other';

const CONFLICT_CODES = /^(?:BlobAlreadyExists|Lease[A-Za-z]+)$/;

export function outcomeOf(o: Observed): Outcome {
  if (o.status === 304) return 'not-modified';
  if (o.status === 412) return 'failure';
  if (o.status === 409 && o.errorCode && CONFLICT_CODES.test(o.errorCode)) return 'failure';
  if (o.capture && o.status >= 400 && isFailedConditional(o.status, o.capture.request.headers)) return 'failure';
  return 'other';
}

const CONDITION_HEADER = /^(?:if-|x-ms-if-|x-ms-source-if-|x-ms-blob-condition-|x-ms-lease-id$)/;

/** Did the request carry a condition (If-*, a lease id, …)? A failure or a 304 says it did. */
export function isConditional(o: Observed, outcome: Outcome): boolean {
  if (outcome !== 'other') return true;
  if (o.conditionsUsed) return true;
  return o.capture ? Object.keys(o.capture.request.headers).some((h) => CONDITION_HEADER.test(h)) : false;
}

/** Reads change nothing: every other operation (writes, deletes, lease actions) makes its caller a writer. */
export function isWrite(o: Observed): boolean {
  return !/^(?:Get|List|Query|Head|Find)/.test(o.operation);
}

/**
 * The caller's address without its port (`$logs` writes `ip:port`): one client, many connections. `[v6]:port` gives
 * the address in the brackets, `a.b.c.d:port` the address; anything else is as it was. Read by its characters (two
 * regexes for every write and failure of a big log cost more than the rest of it).
 */
export function hostOf(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const colon = ip.lastIndexOf(':');
  if (colon <= 0 || !digitsOnly(ip, colon + 1, ip.length)) return ip;
  if (ip.charCodeAt(0) === 91) {
    // `[…]:port`, nothing that ends a line in the brackets.
    if (colon < 2 || ip.charCodeAt(colon - 1) !== 93) return ip;
    const inner = ip.slice(1, colon - 1);
    return /[\n\r\u2028\u2029]/.test(inner) ? ip : inner;
  }
  for (let i = 0; i < colon; i++) {
    const c = ip.charCodeAt(i);
    if (c !== 46 && (c < 48 || c > 57)) return ip;
  }
  return ip.slice(0, colon);
}

/** Is `text[from, to)` one or more ASCII digits? */
function digitsOnly(text: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
