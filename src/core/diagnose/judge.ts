/**
 * The failed request's conditions judged against the blob's state at the time (as far as the sources show),
 * with the engine when the state is known and from the recorded response when it is not. Pure.
 */
import { causeFromResponse } from '../cause-from-response.js';
import { causeInfo, type CauseReport } from '../causes.js';
import type { ConditionResult } from '../conditions/rule.js';
import { explainCapture } from '../explain-capture.js';
import type { BlobState, CapturedRequest, HeaderMap } from '../types.js';
import { loggedSecond } from './etag-timeline.js';
import type { AtFailure, EtagTimeline, Observed } from './types.js';

export interface Judgement {
  request: CapturedRequest;
  conditions: ConditionResult[];
  cause?: CauseReport;
  fix: string[];
  notes: string[];
}

const LEASE_ACTION = /^(Acquire|Renew|Change|Release|Break)(?:Blob|Container)Lease$/;

function methodOf(operation: string): string {
  if (operation === 'GetBlobProperties' || operation === 'GetContainerProperties') return 'HEAD';
  if (operation.startsWith('Get') || operation.startsWith('List')) return 'GET';
  if (operation.startsWith('Delete')) return 'DELETE';
  return 'PUT';
}

/** A request rebuilt from a log line: real dates stay; If-Match only when a write's time pins the ETag. */
function requestOfLog(o: Observed, t: EtagTimeline): CapturedRequest {
  const headers: HeaderMap = {};
  const used = o.conditionsUsed ?? {};
  if (used.ifModifiedSince) headers['if-modified-since'] = used.ifModifiedSince;
  if (used.ifUnmodifiedSince) headers['if-unmodified-since'] = used.ifUnmodifiedSince;
  const inferred = t.inferredEtag ?? (t.suppliedAs === 'etag' ? t.supplied : undefined);
  if (used.ifMatch && inferred) headers['if-match'] = inferred;
  if (used.ifNoneMatch) {
    if (used.ifNoneMatch.trim() === '*') headers['if-none-match'] = '*';
    else if (!used.ifMatch && inferred) headers['if-none-match'] = inferred;
  }
  const action = LEASE_ACTION.exec(o.operation)?.[1];
  if (action) headers['x-ms-lease-action'] = action.toLowerCase();
  if (o.clientRequestId) headers['x-ms-client-request-id'] = o.clientRequestId;
  if (o.userAgent) headers['user-agent'] = o.userAgent;
  return {
    method: o.method ?? methodOf(o.operation),
    url:
      o.url ??
      `https://${o.blobKey?.split('/')[1] ?? 'account'}.blob.core.windows.net/${o.blobKey?.split('/').slice(2).join('/') ?? ''}`,
    headers,
    ...(o.time ? { time: o.time } : {}),
  };
}

const CONDITION_HEADER = /^(?:if-|x-ms-if-|x-ms-source-if-|x-ms-blob-condition-|x-ms-blob-if-|x-ms-lease-id$)/;

/** What the request carried, each condition unjudged: the state at the time is not in the sources. */
function unjudged(req: CapturedRequest, o: Observed, t: EtagTimeline, atFailure: AtFailure): ConditionResult[] {
  const out: ConditionResult[] = Object.entries(req.headers)
    .filter(([h]) => CONDITION_HEADER.test(h))
    .map(([header, supplied]) => ({
      header,
      supplied,
      current: atFailure.etag ?? null,
      holds: null,
      explanation: `not judged: ${atFailure.basis}`,
    }));
  const date = o.conditionsUsed?.ifMatch;
  if (!o.capture && date && !req.headers['if-match']) {
    const at = atFailure.lastModified ? loggedSecond(atFailure.lastModified) : undefined;
    const sent = loggedSecond(date, o.time);
    const holds = at === undefined || sent === undefined ? null : at === sent ? null : false;
    out.unshift({
      header: 'if-match',
      supplied: `${date} (logged as a date; the ETag string is not in the logs)`,
      current: atFailure.etag ? `${atFailure.etag} (Last-Modified ${atFailure.lastModified ?? 'unknown'})` : null,
      holds,
      explanation:
        holds === false
          ? `the supplied ETag was produced at ${date}, but the blob was last modified at ` +
            `${atFailure.lastModified}: it changed after the client read it`
          : `matched by time only: ${t.note}`,
    });
  }
  return out;
}

function annotate(conditions: ConditionResult[], t: EtagTimeline): ConditionResult[] {
  if (t.suppliedAs !== 'date') return conditions;
  return conditions.map((c) =>
    c.header === 'if-match' || c.header === 'if-none-match'
      ? {
          ...c,
          supplied: `${t.supplied} (logged as a date) → ${c.supplied} (inferred by time)`,
          explanation: `${c.explanation} — inferred: the logs show this condition as a date; the exact ETag string is not in the logs`,
        }
      : c,
  );
}

/**
 * Only ETag/date conditions are judged from logs: lease ids and tags are not logged (neither the $logs format nor
 * the StorageBlobLogs table has a field for them).
 */
function judgeable(o: Observed, req: CapturedRequest, atFailure: AtFailure): boolean {
  if (atFailure.etag === undefined && atFailure.exists) return false;
  if (o.errorCode && o.errorCode !== 'ConditionNotMet') return Boolean(o.capture);
  return Object.keys(req.headers).some((h) => CONDITION_HEADER.test(h));
}

export function judge(o: Observed, atFailure: AtFailure, t: EtagTimeline): Judgement {
  const request = o.capture?.request ?? requestOfLog(o, t);
  const fromResponse = causeFromResponse(
    o.status,
    o.errorCode,
    o.capture
      ? request
      : {
          ...request,
          headers: {
            ...request.headers,
            ...(o.conditionsUsed?.ifMatch && !request.headers['if-match'] ? { 'if-match': 'logged-as-date' } : {}),
          },
        },
  );
  const notes: string[] = [];
  if (judgeable(o, request, atFailure)) {
    const state: BlobState = {
      exists: atFailure.exists,
      ...(atFailure.etag ? { etag: atFailure.etag } : {}),
      ...(atFailure.lastModified ? { lastModified: atFailure.lastModified } : {}),
    };
    const headers: HeaderMap = o.errorCode ? { 'x-ms-error-code': o.errorCode } : {};
    const response = { status: o.status, headers };
    const ev = explainCapture({ request, response }, state);
    if (!o.capture)
      notes.push(
        'the state at the failure is rebuilt from the logged requests: a write missing from the logs (logging ' +
          'is best effort) would change it',
      );
    // The rebuilt state knows existence, ETag and Last-Modified only — not the lease, tags or append/page
    // state. "Holds now" is trustworthy only for a ConditionNotMet; for a lease (or other) code the recorded
    // answer is the better witness.
    const unexplained = ev.cause?.code === 'conditions-hold-now' || ev.verdict === 'undecided';
    if (unexplained && fromResponse && o.errorCode && o.errorCode !== 'ConditionNotMet') {
      notes.push(
        `the ${o.errorCode} comes from state the logs do not record (lease ids and lease state are not logged); ` +
          `the cause is read from the recorded error code`,
      );
      return {
        request,
        conditions: annotate(ev.conditions, t),
        cause: fromResponse,
        fix: [...causeInfo[fromResponse.code].fix],
        notes,
      };
    }
    return {
      request,
      conditions: annotate(ev.conditions, t),
      cause: ev.cause ?? fromResponse,
      fix: ev.cause ? ev.fix : fromResponse ? [...causeInfo[fromResponse.code].fix] : [],
      notes: [...ev.notes, ...notes],
    };
  }
  return {
    request,
    conditions: unjudged(request, o, t, atFailure),
    cause: fromResponse,
    fix: fromResponse ? [...causeInfo[fromResponse.code].fix] : [],
    notes,
  };
}
