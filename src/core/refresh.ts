/**
 * The read-refresh-write version of a request: its conditions re-pointed at the current state ONCE, keeping
 * the writer's intent (guard an overwrite, create only if new). Never invents a lease id: Azure does not
 * report lease ids, so only the holder can supply one. Pure.
 */
import { parseEtagList, quoteEtag } from './etag.js';
import { formatHttpDate } from './http-date.js';
import { classifyOperation } from './operation.js';
import type { BlobState, CapturedRequest } from './types.js';

export interface RefreshChange {
  header: string;
  /** undefined: the header was added. */
  from?: string;
  /** undefined: the header was removed. */
  to?: string;
  reason: string;
}

export interface RefreshResult {
  request: CapturedRequest;
  changes: RefreshChange[];
  notes: string[];
}

type Headers = Record<string, string>;

function set(h: Headers, changes: RefreshChange[], header: string, to: string | undefined, reason: string): void {
  const from = h[header];
  if (from === to) return;
  if (to === undefined) delete h[header];
  else h[header] = to;
  changes.push({ header, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), reason });
}

function refreshEtags(
  h: Headers,
  state: BlobState | undefined,
  prefix: string,
  creates: boolean,
  changes: RefreshChange[],
  notes: string[],
): void {
  const im = h[`${prefix}if-match`];
  const inm = h[`${prefix}if-none-match`];
  const isWildcard = (v: string | undefined) => v !== undefined && parseEtagList(v).some((t) => t.wildcard);
  if (!state?.exists) {
    if (im !== undefined && creates && prefix === '') {
      set(h, changes, 'if-match', undefined, 'the blob no longer exists: an ETag cannot match');
      set(h, changes, 'if-none-match', '*', 'create intent: write only if nobody created it meanwhile');
    }
    return;
  }
  if (!state.etag) return;
  const current = quoteEtag(state.etag);
  if (im !== undefined && !isWildcard(im)) set(h, changes, `${prefix}if-match`, current, 'the ETag just read');
  if (isWildcard(inm) && prefix === '') {
    set(h, changes, 'if-none-match', undefined, 'If-None-Match: * is create-only, and the blob exists');
    set(h, changes, 'if-match', current, 'overwrite intent: guard the overwrite with the ETag just read');
  } else if (inm !== undefined && !isWildcard(inm)) {
    notes.push(`${prefix}if-none-match left as is: refreshing it to the current ETag would make it fail`);
  }
}

function refreshDates(
  h: Headers,
  state: BlobState | undefined,
  prefix: string,
  changes: RefreshChange[],
  notes: string[],
): void {
  if (!state?.exists || !state.lastModified) return;
  const lastModified = formatHttpDate(new Date(Math.floor(Date.parse(state.lastModified) / 1000) * 1000));
  if (h[`${prefix}if-unmodified-since`] !== undefined) {
    set(h, changes, `${prefix}if-unmodified-since`, lastModified, 'the Last-Modified just read (equal passes)');
  }
  if (h[`${prefix}if-modified-since`] !== undefined) {
    notes.push(
      `${prefix}if-modified-since left as is: refreshing it to Last-Modified would make it fail (equal fails)`,
    );
  }
}

function refreshBlobFields(h: Headers, state: BlobState, changes: RefreshChange[]): void {
  if (h['x-ms-blob-condition-appendpos'] !== undefined && state.contentLength !== undefined) {
    set(
      h,
      changes,
      'x-ms-blob-condition-appendpos',
      String(state.contentLength),
      'the current length; check first that your data is not already appended',
    );
  }
  if (h['x-ms-if-sequence-number-eq'] !== undefined && state.sequenceNumber !== undefined) {
    set(h, changes, 'x-ms-if-sequence-number-eq', String(state.sequenceNumber), 'the sequence number just read');
  }
}

function leaseNotes(h: Headers, state: BlobState, notes: string[]): void {
  const supplied = h['x-ms-lease-id'];
  const lease = state.lease;
  const active = lease && (lease.state === 'leased' || lease.state === 'breaking');
  if (supplied !== undefined && !active)
    notes.push(
      'x-ms-lease-id left as is, but the blob has no active lease: re-acquire the lease (or drop the id) before writing',
    );
  else if (supplied === undefined && active)
    notes.push(
      "the blob is leased: the write needs the holder's lease id, which Azure never reports, so cnm cannot fill it in",
    );
  else if (supplied !== undefined)
    notes.push('x-ms-lease-id left as is: Azure never reports lease ids, so cnm cannot know a better one');
}

/** Refreshes the request's conditions from `state` once; returns the new request and what changed. */
export function refreshConditions(req: CapturedRequest, state: BlobState): RefreshResult {
  const h: Headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const changes: RefreshChange[] = [];
  const notes: string[] = [];
  const { creates } = classifyOperation(req);
  refreshEtags(h, state, '', creates, changes, notes);
  refreshEtags(h, state, 'x-ms-blob-', false, changes, notes);
  refreshEtags(h, state.source, 'x-ms-source-', false, changes, notes);
  refreshDates(h, state, '', changes, notes);
  refreshDates(h, state, 'x-ms-blob-', changes, notes);
  refreshDates(h, state.source, 'x-ms-source-', changes, notes);
  refreshBlobFields(h, state, changes);
  leaseNotes(h, state, notes);
  if (h['x-ms-if-tags'] !== undefined)
    notes.push('x-ms-if-tags left as is: it states your intent, not a snapshot of state');
  return { request: { ...req, headers: h }, changes, notes };
}
