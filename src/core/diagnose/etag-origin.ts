/**
 * Who changed the blob between the client's read and its write: its own earlier attempt (a retry carrying the
 * state from before it), a request of its own that already wrote with that ETag (a cached ETag reused), or
 * another caller. The SDKs keep x-ms-client-request-id across their retries (Azure/azure-sdk-for-js
 * sdk/storage/storage-common/src/policies/StorageRetryPolicy.ts re-sends the same request), so an attempt of the
 * same request is recognised by it; a new request gets a new one. Service logs render If-Match as a date
 * (observed, undocumented): a date two writes share is never resolved silently. Pure.
 */
import { sameEtag } from '../etag.js';
import { compareCallers } from './caller.js';
import { dateCandidates, loggedSecond, replacerOf } from './etag-timeline.js';
import { before, named, seen, toBy } from './origin-evidence.js';
import { changesEtag, createsBlob, isBefore, producedAt, timeMs } from './timeline.js';
import type { Observed, Origin, OriginAlternative } from './types.js';

/**
 * How far apart an SDK's retries of one request can be: @azure/storage-blob's default maxRetryDelayInMs
 * (sdk/storage/storage-common/src/policies/StorageRetryPolicy.ts, 120 s).
 */
export const DEFAULT_RETRY_WINDOW_MS = 120_000;

const CAPTURE_HINT =
  "capture the request's exact If-Match: an SDK log at AZURE_LOG_LEVEL=info, cnm's captureFailedRequests policy, or a HAR";
const WRITE_LOGGING =
  'write logging for the account (a diagnostic setting with StorageWrite, or $logs with write logging) for the ' +
  'window, or a wider --window';

/** One ETag the failed request may have sent, and the write that produced it (when the sources show it). */
interface Reading {
  etag: string;
  /** The ETag string itself was recorded (a capture), not a date the log rendered it as. */
  exact: boolean;
  producer?: Observed;
  /** No producer: the ETag is from this second or before (a logged date); writes after it replaced it. */
  second?: number;
  /** The write that made the condition false is known exactly, not inferred by time. */
  pinned: boolean;
  /** What the changer did, for the evidence. */
  changed?: string;
}

function header(o: Observed, name: string): string | undefined {
  return o.capture?.request.headers[name];
}

function ifMatchOf(o: Observed): { value: string; exact: boolean } | undefined {
  const h = header(o, 'if-match');
  if (h) return { value: h, exact: true };
  const d = o.capture ? undefined : o.conditionsUsed?.ifMatch;
  return d ? { value: d, exact: false } : undefined;
}

function readings(failed: Observed, earlier: Observed[]): Reading[] | 'none' | 'contradiction' {
  const m = ifMatchOf(failed);
  if (m?.exact) {
    const withEtag = earlier.filter((o) => o.etag && sameEtag(o.etag, m.value));
    const producer = withEtag.find(changesEtag) ?? withEtag[0];
    return [{ etag: m.value, exact: true, producer, pinned: producer !== undefined }];
  }
  const date =
    m?.value ?? (failed.capture ? header(failed, 'if-unmodified-since') : failed.conditionsUsed?.ifUnmodifiedSince);
  if (!date) return 'none';
  const matches = m ? dateCandidates(earlier, date, failed.time) : [];
  if (matches.length === 0) {
    const second = loggedSecond(date, failed.time);
    return second === undefined ? 'none' : [{ etag: `the ETag of ${date}`, exact: false, second, pinned: false }];
  }
  const live = matches.filter((o) => replacerOf(earlier, o) !== undefined);
  if (live.length === 0) return 'contradiction';
  return live.map((o) => ({ etag: o.etag ?? `the ETag of ${date}`, exact: false, producer: o, pinned: false }));
}

function changerOf(r: Reading, earlier: Observed[]): Observed | undefined {
  if (r.producer) return replacerOf(earlier, r.producer);
  if (r.second !== undefined) return earlier.find((o) => changesEtag(o) && (producedAt(o) ?? -Infinity) > r.second!);
  return earlier.find((o) => changesEtag(o) && !(o.etag && sameEtag(o.etag, r.etag)));
}

function sameChain(a: Observed, b: Observed): boolean {
  return Boolean(a.clientRequestId) && a.clientRequestId === b.clientRequestId;
}

function sameConditions(a: Observed, b: Observed): boolean {
  const ma = ifMatchOf(a);
  const mb = ifMatchOf(b);
  if (!ma || !mb) return JSON.stringify(a.conditionsUsed ?? {}) === JSON.stringify(b.conditionsUsed ?? {});
  return ma.exact && mb.exact ? sameEtag(ma.value, mb.value) : ma.value === mb.value;
}

function retryAttempt(failed: Observed, earlier: Observed[], chain: Observed[]): Origin | undefined {
  const committed = chain.filter((o) => changesEtag(o) || createsBlob(o));
  const attempt = committed.at(-1);
  if (!attempt) return undefined;
  const sent = ifMatchOf(failed);
  return {
    kind: 'own-earlier-attempt',
    by: toBy(attempt, failed),
    confidence: 'certain',
    summary:
      `an earlier attempt of this same request (x-ms-client-request-id ${failed.clientRequestId}) succeeded ` +
      `${before(attempt, failed)} — its response was lost or timed out, so the SDK retried, and the retry ` +
      `carried the state from before it${sent ? ` (If-Match ${sent.value})` : ''}`,
    evidence: [
      ...chain.map((o) =>
        seen(
          o,
          o === attempt
            ? `the same client request id; it was applied${o.etag ? `, producing ${o.etag}` : ''}`
            : 'the same client request id',
        ),
      ),
      seen(failed, 'the retry: the same client request id, and the condition from before the first attempt'),
    ],
  };
}

interface Interpretation {
  reading: Reading;
  origin?: Origin;
}

function explain(failed: Observed, changer: Observed, r: Reading, retryWindowMs: number): Origin {
  const evidence = [
    ...(r.producer ? [seen(r.producer, `produced ${r.producer.etag ?? r.etag}, the ETag this request sent`)] : []),
    seen(changer, r.changed ?? `changed the blob${changer.etag ? ` to ${changer.etag}` : ''} after that`),
  ];
  if (sameChain(changer, failed))
    return { ...retryAttempt(failed, [], [changer])!, confidence: r.exact ? 'certain' : 'likely' };
  const caller = compareCallers(changer, failed);
  const by = toBy(changer, failed);
  const gap = (timeMs(failed) ?? 0) - (timeMs(changer) ?? 0);
  const noIds = !failed.clientRequestId && !changer.clientRequestId;
  if (
    caller.match === 'same' &&
    noIds &&
    changer.operation === failed.operation &&
    sameConditions(changer, failed) &&
    gap <= retryWindowMs
  )
    return {
      kind: 'own-earlier-attempt',
      by,
      confidence: 'likely',
      summary:
        `the same operation with the same conditions from the same caller succeeded ${before(changer, failed)}, within ` +
        'the SDK retry delay: most likely an earlier attempt of this request whose response was lost',
      evidence: [
        ...evidence,
        `caller: ${caller.basis}`,
        'neither request records an x-ms-client-request-id, which would settle it',
      ],
      wouldDecide: 'the x-ms-client-request-id of both requests (the SDKs send one; the retry keeps it)',
    };
  if (caller.match === 'same') {
    const mine = ifMatchOf(changer);
    const sentSame = mine && ifMatchOf(failed) && sameConditions(changer, failed);
    return {
      kind: 'reused-etag',
      by,
      confidence: r.pinned && sentSame ? 'certain' : 'likely',
      summary: sentSame
        ? `the same caller already wrote with If-Match ${mine.value} ${before(changer, failed)} (${changer.operation}), ` +
          'and this request sent that ETag again: a cached ETag reused across writes'
        : `the same caller wrote the blob itself ${before(changer, failed)} (${changer.operation}) and this ` +
          'request still sent the ETag from before that write',
      evidence: [...evidence, `caller: ${caller.basis}`, seen(failed, 'sent the same ETag again')],
    };
  }
  return {
    kind: 'other-writer',
    by,
    confidence: caller.match === 'different' && r.pinned ? 'certain' : 'likely',
    summary:
      `${named(changer)} changed the blob ${before(changer, failed)}, after this request's ETag was read` +
      (caller.match === 'unknown' ? ' (the sources do not say who sent either request)' : ''),
    evidence: [...evidence, `caller: ${caller.basis}`],
  };
}

/** A date that two writes share, read both ways: the report names every reading rather than pick one. */
function ambiguous(failed: Observed, list: Interpretation[], note: string): Origin {
  const alternatives: OriginAlternative[] = list.map((i) => ({
    etag: i.reading.etag,
    kind: i.origin?.kind ?? 'unknown',
    ...(i.origin?.by ? { by: i.origin.by } : {}),
  }));
  const kinds = new Set(alternatives.map((a) => a.kind));
  const bys = new Set(alternatives.map((a) => a.by?.requestId ?? a.by?.time));
  const [kind] = [...kinds];
  const agreed = kinds.size === 1 && kind !== 'unknown';
  const first = list[0]!.origin;
  return {
    kind: agreed ? kind! : 'unknown',
    ...(agreed && bys.size === 1 && first?.by ? { by: first.by } : {}),
    confidence: 'likely',
    summary:
      `${note}: ` +
      list
        .map(
          (i) => `had it sent ${i.reading.etag}, ${i.origin ? i.origin.summary : 'nothing in the sources changed it'}`,
        )
        .join('; '),
    evidence: [
      ...list.flatMap((i) => i.origin?.evidence ?? []),
      seen(failed, `logged If-Match ${ifMatchOf(failed)?.value}`),
    ],
    wouldDecide: CAPTURE_HINT,
    alternatives,
  };
}

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
  const own = retryAttempt(failed, earlier, chain);
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
