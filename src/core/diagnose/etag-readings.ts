/**
 * Which ETag a failed request may have sent, read from what its source records: the If-Match itself (a capture),
 * or the date a service log renders it as (observed, undocumented) — one reading per write of that second whose
 * ETag was replaced before the failure (an If-Match with an ETag still current would have held). Pure.
 */
import { sameEtag } from '../etag.js';
import { dateCandidates, loggedSecond, replacerOf } from './etag-timeline.js';
import { changesEtag, producedAt } from './timeline.js';
import type { Observed } from './types.js';

/** One ETag the failed request may have sent, and the write that produced it (when the sources show it). */
export interface Reading {
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

export function header(o: Observed, name: string): string | undefined {
  return o.capture?.request.headers[name];
}

export function ifMatchOf(o: Observed): { value: string; exact: boolean } | undefined {
  const h = header(o, 'if-match');
  if (h) return { value: h, exact: true };
  const d = o.capture ? undefined : o.conditionsUsed?.ifMatch;
  return d ? { value: d, exact: false } : undefined;
}

export function readings(failed: Observed, earlier: Observed[]): Reading[] | 'none' | 'contradiction' {
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

export function changerOf(r: Reading, earlier: Observed[]): Observed | undefined {
  if (r.producer) return replacerOf(earlier, r.producer);
  if (r.second !== undefined) return earlier.find((o) => changesEtag(o) && (producedAt(o) ?? -Infinity) > r.second!);
  return earlier.find((o) => changesEtag(o) && !(o.etag && sameEtag(o.etag, r.etag)));
}

export function sameChain(a: Observed, b: Observed): boolean {
  return Boolean(a.clientRequestId) && a.clientRequestId === b.clientRequestId;
}

export function sameConditions(a: Observed, b: Observed): boolean {
  const ma = ifMatchOf(a);
  const mb = ifMatchOf(b);
  if (!ma || !mb) return JSON.stringify(a.conditionsUsed ?? {}) === JSON.stringify(b.conditionsUsed ?? {});
  return ma.exact && mb.exact ? sameEtag(ma.value, mb.value) : ma.value === mb.value;
}
