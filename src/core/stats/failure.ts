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

/** The caller's address without its port (`$logs` writes `ip:port`): one client, many connections. */
export function hostOf(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const v6 = /^\[(.*)\]:\d+$/.exec(ip);
  if (v6) return v6[1];
  return /^[\d.]+:\d+$/.test(ip) ? ip.slice(0, ip.lastIndexOf(':')) : ip;
}
