/**
 * Who changed the blob between the client's read and its write: its own earlier attempt (a retry carrying the
 * state from before it), a request of its own that already wrote with that ETag (a cached ETag reused), or
 * another caller. The SDKs keep x-ms-client-request-id across their retries (Azure/azure-sdk-for-js
 * sdk/storage/storage-common/src/policies/StorageRetryPolicy.ts re-sends the same request), so an attempt of the
 * same request is recognised by it; a new request gets a new one. Service logs render If-Match as a date
 * (observed, undocumented): a date two writes share is never resolved silently. Pure.
 */
import { ambiguous, explain, retryAttempt, type Interpretation } from './etag-explain.js';
import { changerOf, header, ifMatchOf, readings, sameChain } from './etag-readings.js';
import { dateCandidates } from './etag-timeline.js';
import { before, seen, toBy } from './origin-evidence.js';
import { CAPTURE_HINT, WRITE_LOGGING } from './origin-hints.js';
import { changesEtag, createsBlob, isBefore } from './timeline.js';
import type { Observed, Origin } from './types.js';

/**
 * How far apart an SDK's retries of one request can be: @azure/storage-blob's default maxRetryDelayInMs
 * (sdk/storage/storage-common/src/policies/StorageRetryPolicy.ts, 120 s).
 */
export const DEFAULT_RETRY_WINDOW_MS = 120_000;

function creator(failed: Observed, earlier: Observed[], retryWindowMs: number): Origin {
  const lastDelete = earlier.filter((o) => o.operation === 'DeleteBlob' && changesEtag(o)).at(-1);
  const made = earlier.filter((o) => createsBlob(o) && (!lastDelete || isBefore(lastDelete, o))).at(-1);
  if (!made)
    return {
      kind: 'unknown',
      confidence: 'likely',
      summary:
        'If-None-Match: * failed because the blob existed, and the sources hold no write that created it: it existed before they begin',
      evidence: [seen(failed, 'sent If-None-Match: *')],
      wouldDecide: `the write that created the blob: ${WRITE_LOGGING}`,
    };
  return explain(
    failed,
    made,
    { etag: '*', exact: true, pinned: true, changed: 'created the blob this request meant to create' },
    retryWindowMs,
  );
}

export interface EtagOriginOptions {
  retryWindowMs?: number;
}

/** The ETag story of a failed ETag or date condition (If-Match, If-Unmodified-Since, If-None-Match: *). */
export function etagOrigin(failed: Observed, history: readonly Observed[], options: EtagOriginOptions = {}): Origin {
  const retryWindowMs = options.retryWindowMs ?? DEFAULT_RETRY_WINDOW_MS;
  const earlier = history.filter((o) => o !== failed && isBefore(o, failed));
  const chain = earlier.filter((o) => sameChain(o, failed));
  const own = retryAttempt(failed, chain);
  if (own) return own;
  const inm = header(failed, 'if-none-match') ?? failed.conditionsUsed?.ifNoneMatch;
  if (inm?.trim() === '*' && !ifMatchOf(failed)) return creator(failed, earlier, retryWindowMs);
  const rs = readings(failed, earlier);
  if (rs === 'contradiction')
    return {
      kind: 'unknown',
      confidence: 'likely',
      summary:
        'the logged If-Match date names an ETag that, as far as the logs show, was still current at the failure: ' +
        'a write is missing from the logs (logging is best effort), or the date names another write',
      evidence: [seen(failed, `logged If-Match ${ifMatchOf(failed)?.value}`)],
      wouldDecide: `${CAPTURE_HINT}; and ${WRITE_LOGGING}`,
    };
  const list: Interpretation[] =
    rs === 'none'
      ? []
      : rs.map((reading) => {
          const changer = changerOf(reading, earlier);
          return { reading, ...(changer ? { origin: explain(failed, changer, reading, retryWindowMs) } : {}) };
        });
  if (list.length > 1)
    return ambiguous(
      failed,
      list,
      `the logged If-Match date matches ${list.length} writes in one second, and each of their ETags was replaced ` +
        'before the failure',
    );
  const found = list[0]?.origin;
  if (found) {
    const r = list[0]!.reading;
    if (!r.exact && r.producer && dateCandidates(earlier, ifMatchOf(failed)!.value, failed.time).length > 1)
      found.evidence.unshift(
        `the logged If-Match date matches several writes in one second; the others' ETags were still current at the ` +
          `failure (If-Match with them would have held), so the ETag sent was most likely ${r.etag}`,
      );
    return found;
  }
  const unanswered = chain.filter((o) => o.status === 0).at(-1);
  if (unanswered)
    return {
      kind: 'own-earlier-attempt',
      by: toBy(unanswered, failed),
      confidence: 'likely',
      summary:
        `an earlier attempt of this same request (x-ms-client-request-id ${failed.clientRequestId}) got no response ` +
        `${before(unanswered, failed)}; the SDK retried with the same condition, and nothing else in the sources ` +
        'changed the blob: the first attempt was most likely applied and its response lost',
      evidence: [seen(unanswered, 'no response: the connection failed after it was sent'), seen(failed, 'the retry')],
      wouldDecide:
        "the service's log of the first attempt (Azurite --debug, $logs or resource logs), which shows whether it was applied",
    };
  if (rs === 'none')
    return {
      kind: 'unknown',
      confidence: 'likely',
      summary: 'the sources do not record the ETag or date this request was conditioned on',
      evidence: [seen(failed, 'no If-Match or date condition recorded')],
      wouldDecide: CAPTURE_HINT,
    };
  return {
    kind: 'unknown',
    confidence: 'likely',
    summary: `no request in the sources changed the blob after ${rs[0]!.etag} was produced, yet the condition failed`,
    evidence: [
      ...(rs[0]!.producer ? [seen(rs[0]!.producer, `produced ${rs[0]!.etag}`)] : []),
      seen(failed, `sent ${rs[0]!.etag}`),
    ],
    wouldDecide: `who changed it: ${WRITE_LOGGING}`,
  };
}

/**
 * A condition on state the logs do not record (append position, size, sequence number, tags): the last request
 * before the failure that changed that state is the likely one; the client's read is not in the logs.
 */
export function lastChangeOrigin(
  failed: Observed,
  history: readonly Observed[],
  changes: (o: Observed) => boolean,
  what: string,
  options: EtagOriginOptions = {},
): Origin {
  const earlier = history.filter((o) => o !== failed && isBefore(o, failed));
  const changer = earlier.filter(changes).at(-1);
  if (!changer)
    return {
      kind: 'unknown',
      confidence: 'likely',
      summary: `no request in the sources changed ${what} before this one`,
      evidence: [seen(failed, `its ${what} condition failed`)],
      wouldDecide: `who changed ${what}: ${WRITE_LOGGING}`,
    };
  const o = explain(
    failed,
    changer,
    {
      etag: `the ${what} it read`,
      exact: false,
      pinned: false,
      changed: `changed ${what}: the last such change before the failure`,
    },
    options.retryWindowMs ?? DEFAULT_RETRY_WINDOW_MS,
  );
  return { ...o, confidence: 'likely' };
}
