/**
 * A request that held a lease finds it gone: what ended it, by the Lease Blob rules
 * (learn.microsoft.com/rest/api/storageservices/lease-blob): a fixed lease lasts 15–60 s from its acquire or last
 * renew, a break ends it after the break period, a release at once, a change gives it a new id. Pure.
 */
import { callerText } from './caller.js';
import { enderOf, holderLease, type HolderLease } from './lease-holder.js';
import { describeLeaseEvent, leaseIdSent, type LeaseOp } from './lease-timeline.js';
import { before, named, seen, toBy } from './origin-evidence.js';
import { timeMs } from './timeline.js';
import type { Observed, Origin } from './types.js';

/** The shortest fixed lease (Lease Blob: 15–60 s): a lease younger than this cannot have expired. */
const MIN_DURATION_MS = 15_000;

/** The one source that records every lease header a client sends and receives. */
const LEASE_HEADERS = 'an SDK log at AZURE_LOG_LEVEL=info, which records x-ms-lease-id and x-ms-lease-duration';

export const LEASE_LOGGING =
  'logs that record every lease operation: a diagnostic setting with both StorageRead and StorageWrite (or ' +
  `$logs with read and write logging), or ${LEASE_HEADERS}`;

export function unknown(failed: Observed, summary: string, wouldDecide: string, evidence: string[] = []): Origin {
  return {
    kind: 'unknown',
    confidence: 'likely',
    summary,
    evidence: [...evidence, seen(failed, 'the failure')],
    wouldDecide,
  };
}

function leaseStory(lease: HolderLease): string[] {
  return [
    seen(lease.grant.o, `${describeLeaseEvent(lease.grant.event)}: the lease this request held`),
    ...lease.renews.map((r) => seen(r.o, describeLeaseEvent(r.event))),
  ];
}

function idText(lease: HolderLease): string {
  return lease.grant.event.leaseId ? ` ${lease.grant.event.leaseId}` : '';
}

function expiredOrigin(lease: HolderLease, failed: Observed, expiresAt: number, ender?: LeaseOp): Origin {
  const t = lease.tick;
  const acquired = lease.tick === lease.grant ? 'acquired' : 'last renewed';
  const evidence = [
    ...leaseStory(lease),
    `no renew after ${t.o.time ?? 'it'}: a ${lease.duration} s lease expires at ${new Date(expiresAt).toISOString()}`,
  ];
  if (ender) evidence.push(seen(ender.o, `${describeLeaseEvent(ender.event)}, after the lease had already expired`));
  evidence.push(seen(failed, 'sent the expired lease id'));
  return {
    kind: 'lease-expired',
    by: toBy(t.o, failed),
    confidence: 'certain',
    summary:
      `the lease${idText(lease)} was ${acquired} for ${lease.duration} s at ${t.o.time} by ` +
      `${callerText(t.o)} and never renewed: it expired at ${new Date(expiresAt).toISOString()}, ` +
      `${((timeMs(failed)! - expiresAt) / 1000).toFixed(1)} s before this request sent its id`,
    evidence,
  };
}

function likelyExpired(lease: HolderLease, failed: Observed, gapMs: number, ender?: LeaseOp): Origin {
  const t = lease.tick;
  const evidence = [
    ...leaseStory(lease),
    `no renew or break of it in the sources for ${(gapMs / 1000).toFixed(1)} s; the lease duration is not ` +
      'recorded (service logs log no lease header): a fixed lease lasts 15–60 s',
  ];
  if (ender) evidence.push(seen(ender.o, `${describeLeaseEvent(ender.event)}: a new lease, so the old one had ended`));
  evidence.push(seen(failed, 'sent a lease id'));
  return {
    kind: 'lease-expired',
    by: toBy(t.o, failed),
    confidence: 'likely',
    summary:
      `the lease was ${t === lease.grant ? 'acquired' : 'last renewed'} at ${t.o.time} by ` +
      `${callerText(t.o)}, ${(gapMs / 1000).toFixed(1)} s before ` +
      `${ender ? 'a new Acquire' : 'this request'}, and not renewed in the sources: it most likely expired`,
    evidence,
    wouldDecide: `the lease's duration, recorded by ${LEASE_HEADERS}`,
  };
}

function endedBy(lease: HolderLease, ender: LeaseOp, failed: Observed): Origin {
  const e = ender.event;
  const evidence = [...leaseStory(lease), seen(ender.o, describeLeaseEvent(e))];
  evidence.push(seen(failed, `sent ${leaseIdSent(failed) ?? 'a lease id'}`));
  const by = toBy(ender.o, failed);
  const who = named(ender.o);
  const when = before(ender.o, failed);
  if (e.action === 'break') {
    const period = e.breakPeriod ?? e.leaseTime;
    const endsAt = period !== undefined ? (timeMs(ender.o) ?? 0) + period * 1000 : undefined;
    const stillBreaking = endsAt !== undefined && timeMs(failed) !== undefined && endsAt > timeMs(failed)!;
    return {
      kind: 'lease-broken',
      by,
      confidence: stillBreaking ? 'likely' : 'certain',
      summary:
        `the lease${idText(lease)} that ${callerText(lease.grant.o)} acquired at ${lease.grant.o.time} was broken ` +
        `by ${who}, ${when}` +
        `${stillBreaking ? ' (its break period had not ended: the write with the id should still have passed)' : ''}`,
      evidence,
    };
  }
  if (e.action === 'release')
    return {
      kind: 'lease-released',
      by,
      confidence: 'certain',
      summary:
        `the lease${idText(lease)} that ${callerText(lease.grant.o)} acquired at ${lease.grant.o.time} was ` +
        `released by ${who}, ${when}; this request still sent its id`,
      evidence,
    };
  const matched = lease.idMatched && e.previousLeaseId !== undefined && e.previousLeaseId === leaseIdSent(failed);
  return {
    kind: 'lease-changed',
    by,
    confidence: matched ? 'certain' : 'likely',
    summary: `the lease id was changed by ${who} (${describeLeaseEvent(e)}), ${when}; this request sent the old id`,
    evidence,
  };
}

export function holderLost(failed: Observed, ok: LeaseOp[], all: LeaseOp[]): Origin {
  const lease = holderLease(failed, ok);
  if (!lease)
    return unknown(
      failed,
      'the request sent a lease id, and the sources hold no Acquire of a lease on this blob before it',
      `widen --window (or --since) to include the Acquire, and read ${LEASE_LOGGING}`,
      all.map((op) => seen(op.o, describeLeaseEvent(op.event))),
    );
  const ender = enderOf(lease, ok);
  const tickMs = timeMs(lease.tick.o);
  const failedMs = timeMs(failed);
  const fixed = lease.duration !== undefined && lease.duration > 0;
  const expiresAt = fixed && tickMs !== undefined ? tickMs + lease.duration! * 1000 : undefined;
  const endMs = ender ? timeMs(ender.o) : failedMs;
  if (expiresAt !== undefined && endMs !== undefined && expiresAt <= endMs && failedMs !== undefined)
    return expiredOrigin(lease, failed, expiresAt, ender);
  if (ender && ender.event.action !== 'acquire') return endedBy(lease, ender, failed);
  const gap = tickMs !== undefined && endMs !== undefined ? endMs - tickMs : undefined;
  if (lease.duration === undefined && gap !== undefined && gap >= MIN_DURATION_MS)
    return likelyExpired(lease, failed, gap, ender);
  const active =
    lease.duration === undefined
      ? `it was ${lease.tick === lease.grant ? 'acquired' : 'renewed'} only ${gap === undefined ? 'an unknown time' : `${(gap / 1000).toFixed(1)} s`} before, too soon to expire`
      : lease.duration < 0
        ? 'it was infinite'
        : `its ${lease.duration} s had not run out`;
  return unknown(
    failed,
    `the lease${idText(lease)} (${named(lease.grant.o)}) should still have been active: ${active}; a Break or ` +
      'Release of it is missing from the sources',
    `read ${LEASE_LOGGING}, around ${lease.tick.o.time ?? 'the failure'}`,
    [...leaseStory(lease), ...(ender ? [seen(ender.o, describeLeaseEvent(ender.event))] : [])],
  );
}
