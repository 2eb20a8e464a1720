/**
 * The kind of a failure's origin without its story: what classifyOrigin (origin.ts) would answer for `.kind`, for
 * the failures a workload summary meets most — an ETag or date condition read from service logs, which record no
 * headers — at a fraction of the cost, since no sentence, evidence line or timeline is made. Any other failure
 * (a lease, a state condition, one with a capture's headers) is answered undefined: the full classifier tells it.
 * It walks the same steps as etagOrigin with the same helpers, and a property test holds it to classifyOrigin on
 * random histories. Pure.
 */
import { callerMatch } from './caller.js';
import { changerKind } from './etag-explain.js';
import { DEFAULT_RETRY_WINDOW_MS } from './etag-origin.js';
import { dateCandidates, loggedSecond, replacerOf } from './etag-timeline.js';
import { ifMatchOf, sameChain } from './etag-readings.js';
import { isLeaseFailure } from './lease-origin.js';
import { sortObserved } from './observed.js';
import { askedUnchanged, expectedContention, isEtagFailure, isStateCondition } from './origin.js';
import { changesEtag, createsBlob, isBefore, producedAt } from './timeline.js';
import type { Observed, OriginKind } from './types.js';

function kindOfChange(failed: Observed, changer: Observed): OriginKind {
  return changerKind(failed, changer, callerMatch(changer, failed), DEFAULT_RETRY_WINDOW_MS);
}

/**
 * classifyOrigin(failed, others).origin.kind, or undefined when only classifyOrigin can tell it. `others` may be
 * a function: asked only when the blob's history matters (a caller that reads it lazily pays nothing for a failure
 * this leaves to the classifier).
 */
export function originKind(
  failed: Observed,
  others: readonly Observed[] | (() => readonly Observed[]),
): OriginKind | undefined {
  if (failed.capture) return undefined;
  const key = failed.blobKey;
  if (expectedContention(key, failed.errorCode)) return 'expected-contention';
  if (isLeaseFailure(failed) || isStateCondition(failed.errorCode)) return undefined;
  if (askedUnchanged(failed)) return 'unknown';
  if (!isEtagFailure(failed)) return 'unknown';
  const mine = (typeof others === 'function' ? others() : others).filter(
    (o) => o !== failed && (key === undefined || o.blobKey === key),
  );
  if (mine.some((o) => o.capture)) return undefined;
  const earlier = sortObserved(mine).filter((o) => isBefore(o, failed));
  return etagKind(failed, earlier);
}

/** etagOrigin's kind; `earlier`: the blob's requests before the failure, oldest first. */
function etagKind(failed: Observed, earlier: Observed[]): OriginKind {
  const chain = earlier.filter((o) => sameChain(o, failed));
  // retryAttempt: an earlier attempt of the same request was applied.
  if (chain.some((o) => changesEtag(o) || createsBlob(o))) return 'own-earlier-attempt';
  const conditions = failed.conditionsUsed;
  const ifMatch = ifMatchOf(failed);
  if (conditions?.ifNoneMatch?.trim() === '*' && !ifMatch) {
    // creator: the last write that created the blob (after its last delete).
    const lastDelete = earlier.filter((o) => o.operation === 'DeleteBlob' && changesEtag(o)).at(-1);
    const made = earlier.filter((o) => createsBlob(o) && (!lastDelete || isBefore(lastDelete, o))).at(-1);
    return made ? kindOfChange(failed, made) : 'unknown';
  }
  // readings, then each reading's changer (etag-readings.ts).
  const date = ifMatch?.value ?? conditions?.ifUnmodifiedSince;
  if (!date) return unanswered(chain) ?? 'unknown';
  const matches = ifMatch ? dateCandidates(earlier, date, failed.time) : [];
  if (matches.length === 0) {
    const second = loggedSecond(date, failed.time);
    if (second === undefined) return unanswered(chain) ?? 'unknown';
    const changer = earlier.find((o) => changesEtag(o) && (producedAt(o) ?? -Infinity) > second);
    return changer ? kindOfChange(failed, changer) : (unanswered(chain) ?? 'unknown');
  }
  const kinds: OriginKind[] = [];
  for (const producer of matches) {
    const changer = replacerOf(earlier, producer);
    // A producer whose ETag was never replaced is no reading (If-Match with it would have held); its replacer is
    // the reading's changer.
    if (changer) kinds.push(kindOfChange(failed, changer));
  }
  if (kinds.length === 0) return 'unknown';
  // ambiguous: several readings agree on a kind, or it is unknown.
  if (kinds.length > 1) return kinds.every((k) => k === kinds[0]) ? kinds[0]! : 'unknown';
  return kinds[0]!;
}

/** An earlier attempt of the same request that got no response (a capture's status 0). */
function unanswered(chain: Observed[]): OriginKind | undefined {
  return chain.some((o) => o.status === 0) ? 'own-earlier-attempt' : undefined;
}
