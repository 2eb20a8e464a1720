/**
 * The origin of a failed condition: what made it false, read from the requests the sources show. One pure
 * classifier for every source and every caller: `cnm diagnose` runs it on the request it explains, and a
 * workload summary can run it on each failure (it only sorts and scans the blob's requests it is given).
 *
 * Order: a lease failure is explained by the blob's lease operations; an ETag or date failure by who changed the
 * blob (an earlier attempt of the same request, the same caller's earlier write, another caller); a path that
 * belongs to a library whose failures are routine (Event Hubs, Functions, Terraform, Durable Task) wraps either.
 */
import { recogniseContention } from './contention.js';
import { DEFAULT_RETRY_WINDOW_MS, etagOrigin, lastChangeOrigin } from './etag-origin.js';
import { leaseOps, relativeTo, type LeaseOp } from './lease-timeline.js';
import { leaseOrigin } from './lease-origin.js';
import { seen } from './origin-evidence.js';
import { sortObserved } from './observed.js';
import { changesEtag } from './timeline.js';
import type { Contention, LeaseEvent, Observed, Origin } from './types.js';

export interface OriginOptions {
  /** How far apart two attempts of one request can be (default: the Azure SDK's 120 s maximum retry delay). */
  retryWindowMs?: number;
}

export interface OriginResult {
  origin: Origin;
  /**
   * The blob's lease operations among `others`, oldest first, timed relative to the failed request; built on
   * first read, so classifying a failure costs nothing for a timeline nobody reads.
   */
  readonly leases: LeaseEvent[];
}

const ETAG_CODES = new Set(['ConditionNotMet', 'TargetConditionNotMet', 'BlobAlreadyExists']);

/** A failed ETag or date condition (If-Match, If-Unmodified-Since, If-None-Match: *): etagOrigin's. */
export function isEtagFailure(failed: Observed): boolean {
  const code = failed.errorCode ?? '';
  return ETAG_CODES.has(code) || (!code && failed.status === 412);
}

/** Conditions on state the logs don't carry, and which operations change that state. */
// A Map, not an object literal: a logged code such as `constructor` is not one of them.
const STATE_CODES = new Map<string, { what: string; changes: (o: Observed) => boolean }>([
  ['AppendPositionConditionNotMet', { what: 'the append position', changes: changesEtag }],
  ['MaxBlobSizeConditionNotMet', { what: 'the blob size', changes: changesEtag }],
  [
    'SequenceNumberConditionNotMet',
    {
      what: 'the sequence number',
      changes: (o) => ok(o) && /^(?:SetBlobSequenceNumber|PutBlob|SetBlobProperties)$/.test(o.operation),
    },
  ],
]);

/** A condition on state the logs do not carry (append position, size, sequence number): lastChangeOrigin's. */
export function isStateCondition(code: string | undefined): boolean {
  return STATE_CODES.has(code ?? '');
}

function ok(o: Observed): boolean {
  return o.status >= 200 && o.status < 300;
}

function header(o: Observed, name: string): string | undefined {
  return o.capture?.request.headers[name];
}

/** Did a read's "has it changed?" condition answer no (304, or If-None-Match / If-Modified-Since alone)? */
export function askedUnchanged(failed: Observed): boolean {
  const inm = header(failed, 'if-none-match') ?? failed.conditionsUsed?.ifNoneMatch;
  const ims = header(failed, 'if-modified-since') ?? failed.conditionsUsed?.ifModifiedSince;
  const ifMatch = header(failed, 'if-match') ?? failed.conditionsUsed?.ifMatch;
  const ius = header(failed, 'if-unmodified-since') ?? failed.conditionsUsed?.ifUnmodifiedSince;
  return failed.status === 304 || Boolean((ims || (inm && inm.trim() !== '*')) && !ifMatch && !ius);
}

/** A read's "has it changed?" condition answered no: nothing else is involved. */
function unchanged(failed: Observed): Origin | undefined {
  if (!askedUnchanged(failed)) return undefined;
  return {
    kind: 'unknown',
    confidence: 'certain',
    summary:
      'the condition asked whether the blob had changed (If-None-Match with its ETag, or If-Modified-Since), and it ' +
      'had not: no other request made it fail',
    evidence: [seen(failed, 'a not-modified condition')],
  };
}

function tagsOrigin(failed: Observed, history: readonly Observed[], options: OriginOptions): Origin | undefined {
  if (!header(failed, 'x-ms-if-tags') || header(failed, 'if-match')) return undefined;
  return lastChangeOrigin(
    failed,
    history,
    (o) => ok(o) && (o.operation === 'SetBlobTags' || o.operation === 'PutBlob' || o.operation === 'PutBlockList'),
    'the blob tags',
    options,
  );
}

function classify(
  failed: Observed,
  history: readonly Observed[],
  ops: readonly LeaseOp[],
  options: OriginOptions,
): Origin {
  const lease = leaseOrigin(failed, ops);
  if (lease) return lease;
  const code = failed.errorCode ?? '';
  const state = STATE_CODES.get(code);
  if (state) return lastChangeOrigin(failed, history, state.changes, state.what, options);
  const tags = tagsOrigin(failed, history, options);
  if (tags) return tags;
  const same = unchanged(failed);
  if (same) return same;
  if (isEtagFailure(failed)) return etagOrigin(failed, history, options);
  return {
    kind: 'unknown',
    confidence: 'likely',
    summary: `cnm reads no origin for ${failed.status}${code ? ` ${code}` : ''} from the sources`,
    evidence: [seen(failed, 'the failure')],
    wouldDecide: 'compare the request with the blob now: cnm replay (the report ends with its command line)',
  };
}

/** The library's normal way of losing a race: what happened stays, the kind says it is expected. */
function expected(origin: Origin, contention: Contention): Origin {
  return {
    ...origin,
    kind: 'expected-contention',
    summary: `${contention.title}, where this is routine: ${origin.summary}`,
    evidence: [`the blob's path is ${contention.title}: ${contention.explanation}`, ...origin.evidence],
  };
}

/** expectedContention's answers by code and blob. */
const contentions = new Map<string, Contention | undefined>();

/**
 * The library whose routine race a failure on `blobKey` answering `errorCode` is, if it is one: the origin is then
 * `expected-contention`, whatever made it fail (a workload summary counts it without reading the history).
 */
export function expectedContention(blobKey: string | undefined, errorCode: string | undefined): Contention | undefined {
  // A workload's failures come back to the same few blobs and codes: each pair is recognised once, and the pair
  // asked last is answered without making its key.
  if (last && blobKey === last.blobKey && errorCode === last.errorCode) return last.found;
  const k = `${errorCode ?? ''}\u0000${blobKey ?? ''}`;
  let found: Contention | undefined;
  if (contentions.has(k)) found = contentions.get(k);
  else {
    found = recogniseExpected(blobKey, errorCode);
    if (contentions.size >= 10_000) contentions.clear();
    contentions.set(k, found);
  }
  last = { blobKey, errorCode, found };
  return found;
}

let last: { blobKey: string | undefined; errorCode: string | undefined; found: Contention | undefined } | undefined;

function recogniseExpected(blobKey: string | undefined, errorCode: string | undefined): Contention | undefined {
  const [, , container, ...rest] = (blobKey ?? '').split('/');
  const contention = recogniseContention(container, rest.join('/') || undefined);
  if (!contention) return undefined;
  // A Terraform state lock held by another run answers LeaseAlreadyPresent: that run holds the lock.
  return contention.expected || (contention.kind === 'terraform-state' && errorCode === 'LeaseAlreadyPresent')
    ? contention
    : undefined;
}

/**
 * What made `failed`'s condition false, from `others`: the same blob's other requests the sources hold around
 * it (any order; requests on other blobs are ignored).
 */
export function classifyOrigin(
  failed: Observed,
  others: readonly Observed[],
  options: OriginOptions = {},
): OriginResult {
  const key = failed.blobKey;
  const history = sortObserved(others.filter((o) => o !== failed && (key === undefined || o.blobKey === key)));
  const ops = leaseOps(history);
  const contention = expectedContention(key, failed.errorCode);
  const origin = classify(failed, history, ops, { retryWindowMs: options.retryWindowMs ?? DEFAULT_RETRY_WINDOW_MS });
  const result = { origin: contention ? expected(origin, contention) : origin };
  // The timeline is built only when asked for: a workload summary classifies every failure and needs the origin.
  let leases: LeaseEvent[] | undefined;
  return Object.defineProperty(result, 'leases', {
    enumerable: true,
    get: () => (leases ??= relativeTo(ops, failed)),
  }) as OriginResult;
}
