/**
 * The request that made an ETag condition false, told as an origin: an attempt of the same request (same
 * x-ms-client-request-id, which the SDKs keep across retries), the same caller's earlier write (a reused ETag),
 * or another caller; and a date two writes share, told both ways. Pure.
 */
import { compareCallers, type CallerMatch } from './caller.js';
import { ifMatchOf, sameChain, sameConditions, type Reading } from './etag-readings.js';
import { CAPTURE_HINT } from './origin-hints.js';
import { before, named, seen, toBy } from './origin-evidence.js';
import { changesEtag, createsBlob, timeMs } from './timeline.js';
import type { Observed, Origin, OriginAlternative } from './types.js';

export function retryAttempt(failed: Observed, chain: Observed[]): Origin | undefined {
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

export interface Interpretation {
  reading: Reading;
  origin?: Origin;
}

/** Who `changer` was to the failed request; `caller`: compareCallers(changer, failed).match. */
export function changerKind(
  failed: Observed,
  changer: Observed,
  caller: CallerMatch,
  retryWindowMs: number,
): 'own-earlier-attempt' | 'reused-etag' | 'other-writer' {
  // An attempt of the same request (the SDKs keep x-ms-client-request-id across retries).
  if (sameChain(changer, failed)) return 'own-earlier-attempt';
  if (caller !== 'same') return 'other-writer';
  // No ids to tell: the same operation and conditions from the same caller, within the retry delay, is most likely
  // an earlier attempt whose response was lost.
  const gap = (timeMs(failed) ?? 0) - (timeMs(changer) ?? 0);
  const noIds = !failed.clientRequestId && !changer.clientRequestId;
  return noIds && changer.operation === failed.operation && sameConditions(changer, failed) && gap <= retryWindowMs
    ? 'own-earlier-attempt'
    : 'reused-etag';
}

export function explain(failed: Observed, changer: Observed, r: Reading, retryWindowMs: number): Origin {
  const evidence = [
    ...(r.producer ? [seen(r.producer, `produced ${r.producer.etag ?? r.etag}, the ETag this request sent`)] : []),
    seen(changer, r.changed ?? `changed the blob${changer.etag ? ` to ${changer.etag}` : ''} after that`),
  ];
  if (sameChain(changer, failed))
    return { ...retryAttempt(failed, [changer])!, confidence: r.exact ? 'certain' : 'likely' };
  const caller = compareCallers(changer, failed);
  const by = toBy(changer, failed);
  const kind = changerKind(failed, changer, caller.match, retryWindowMs);
  if (kind === 'own-earlier-attempt')
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
  if (kind === 'reused-etag') {
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
export function ambiguous(failed: Observed, list: Interpretation[], note: string): Origin {
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
