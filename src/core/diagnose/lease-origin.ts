/**
 * What happened to the lease a failed request ran into, from the blob's lease operations: the holder's lease
 * expired, was broken, released or changed; or another caller held one. The rules are the Lease Blob
 * operation's (learn.microsoft.com/rest/api/storageservices/lease-blob): a fixed lease lasts 15–60 s from its
 * acquire or last renew, a break ends it after the break period, a release ends it at once, a change gives
 * it a new id. Service logs record the operations but not their headers (no lease id, no duration): there the
 * story is told from what they show, and says `likely`. Pure.
 */
import { callerText, compareCallers } from './caller.js';
import { before, named, seen, toBy } from './origin-evidence.js';
import { describeLeaseEvent, leaseIdSent, leaseOps, succeeded, type LeaseOp } from './lease-timeline.js';
import { isBefore, timeMs } from './timeline.js';
import type { Observed, Origin } from './types.js';

/** The failed request held (or named) a lease that is no longer the blob's active one. */
const HOLDER_LOST = new Set([
  'LeaseNotPresentWithBlobOperation',
  'LeaseNotPresentWithContainerOperation',
  'LeaseIdMismatchWithBlobOperation',
  'LeaseIdMismatchWithContainerOperation',
  'LeaseLost',
  'LeaseIdMismatchWithLeaseOperation',
  'LeaseNotPresentWithLeaseOperation',
  'LeaseIsBrokenAndCannotBeRenewed',
  'LeaseIsBreakingAndCannotBeChanged',
  'LeaseAlreadyBroken',
]);

/** Someone else's lease was active: the request sent none, or tried to acquire. */
const HELD = new Set(['LeaseIdMissing', 'LeaseAlreadyPresent', 'LeaseIsBreakingAndCannotBeAcquired']);

/** The shortest fixed lease (Lease Blob: 15–60 s): a lease younger than this cannot have expired. */
const MIN_DURATION_MS = 15_000;

const LEASE_LOGGING =
  'logs that record lease operations: a diagnostic setting with StorageRead and StorageWrite (Acquire, Renew ' +
  'and Release are read-category operations, Break and Change write), or an SDK log at AZURE_LOG_LEVEL=info, ' +
  'which records x-ms-lease-id and x-ms-lease-duration';

function unknown(failed: Observed, summary: string, wouldDecide: string, evidence: string[] = []): Origin {
  return {
    kind: 'unknown',
    confidence: 'likely',
    summary,
    evidence: [...evidence, seen(failed, 'the failure')],
    wouldDecide,
  };
}

function last<T>(list: readonly T[]): T | undefined {
  return list[list.length - 1];
}

interface HolderLease {
  /** The Acquire (or Change) that gave the lease its id. */
  grant: LeaseOp;
  /** The grant or the last Renew after it: a fixed lease's clock restarts there. */
  tick: LeaseOp;
  renews: LeaseOp[];
  /** The request's lease id was seen on the grant (headers recorded), not assumed. */
  idMatched: boolean;
  duration?: number;
}

function sameLease(op: LeaseOp, id: string | undefined): boolean {
  return id === undefined || op.event.leaseId === undefined || op.event.leaseId === id;
}

/** The lease the failed request held: by its id when recorded, else the caller's (or the last) Acquire. */
function holderLease(failed: Observed, ok: LeaseOp[]): HolderLease | undefined {
  const myId = leaseIdSent(failed);
  const grants = ok.filter((op) => op.event.action === 'acquire' || op.event.action === 'change');
  const byId = myId ? last(grants.filter((op) => op.event.leaseId === myId)) : undefined;
  const grant = byId ?? last(grants.filter((op) => compareCallers(op.o, failed).match === 'same')) ?? last(grants);
  if (!grant) return undefined;
  const id = grant.event.leaseId ?? myId;
  const after = ok.filter((op) => isBefore(grant.o, op.o));
  const renews: LeaseOp[] = [];
  for (const op of after) {
    const extends_ =
      (op.event.action === 'renew' || (op.event.action === 'acquire' && op.event.leaseId !== undefined)) &&
      op.event.leaseId === id &&
      id !== undefined;
    const renewOfUnknownId = op.event.action === 'renew' && (id === undefined || op.event.leaseId === undefined);
    if (extends_ || renewOfUnknownId) renews.push(op);
    else if (op.event.action !== 'renew') break;
  }
  const acquire =
    grant.event.action === 'acquire'
      ? grant
      : last(ok.filter((op) => op.event.action === 'acquire' && isBefore(op.o, grant.o)));
  return {
    grant,
    tick: last(renews) ?? grant,
    renews,
    idMatched: Boolean(byId),
    duration: acquire?.event.duration,
  };
}

/** What ended the lease after its last tick: a Break, a Release or Change of it, or another caller's Acquire. */
function enderOf(lease: HolderLease, ok: LeaseOp[]): LeaseOp | undefined {
  const id = lease.grant.event.leaseId;
  return ok.find(
    (op) =>
      isBefore(lease.tick.o, op.o) &&
      !lease.renews.includes(op) &&
      (op.event.action === 'break' ||
        (op.event.action === 'release' && sameLease(op, id)) ||
        (op.event.action === 'change' &&
          (id === undefined || op.event.previousLeaseId === undefined || op.event.previousLeaseId === id)) ||
        (op.event.action === 'acquire' && (id === undefined || op.event.leaseId !== id))),
  );
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
    wouldDecide: `the lease's duration, recorded by ${LEASE_LOGGING.split(', or ')[1]}`,
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

function holderLost(failed: Observed, ok: LeaseOp[], all: LeaseOp[]): Origin {
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

/** The lease that was active when the request (which held none) ran into it. */
function heldBy(failed: Observed, ok: LeaseOp[]): Origin {
  let active: LeaseOp | undefined;
  let tick: LeaseOp | undefined;
  for (const op of ok) {
    if (op.event.action === 'acquire' || op.event.action === 'change') {
      active = op.event.action === 'change' && active ? active : op;
      tick = op;
    } else if (op.event.action === 'renew') tick = op;
    else if (op.event.action === 'release') active = undefined;
    else if (op.event.action === 'break') {
      const period = op.event.breakPeriod ?? op.event.leaseTime;
      const ends = period === undefined ? undefined : (timeMs(op.o) ?? 0) + period * 1000;
      if (ends === undefined || timeMs(failed) === undefined || ends <= timeMs(failed)!) active = undefined;
    }
  }
  if (!active)
    return unknown(
      failed,
      'the blob was leased, and the sources hold no Acquire of that lease',
      'widen --window (or --since) to include the Acquire: Azure reports no lease holder, so its log line is the ' +
        `only way to name it; read ${LEASE_LOGGING}`,
    );
  const caller = compareCallers(active.o, failed);
  const fixedLive =
    active.event.duration !== undefined &&
    (active.event.duration < 0 ||
      (timeMs(tick!.o) !== undefined &&
        timeMs(failed) !== undefined &&
        timeMs(tick!.o)! + active.event.duration * 1000 > timeMs(failed)!));
  const same = caller.match === 'same';
  return {
    kind: 'other-writer',
    by: toBy(active.o, failed),
    confidence: caller.match === 'different' && fixedLive ? 'certain' : 'likely',
    summary:
      `the blob was leased by ${named(active.o)} (${describeLeaseEvent(active.event)}), ${before(active.o, failed)}, ` +
      `and this request ${failed.errorCode === 'LeaseAlreadyPresent' ? 'tried to acquire another' : 'sent no lease id'}` +
      (same ? ` — the holder looks like the same caller (${caller.basis}): if so, pass it the lease id` : ''),
    evidence: [
      seen(active.o, `${describeLeaseEvent(active.event)}: the active lease`),
      ...(tick && tick !== active ? [seen(tick.o, describeLeaseEvent(tick.event))] : []),
      `caller: ${caller.basis}`,
      seen(failed, failed.errorCode === 'LeaseAlreadyPresent' ? 'tried to acquire a lease' : 'sent no lease id'),
    ],
  };
}

/** The lease story of a lease failure; undefined when the failure is not about a lease. */
export function leaseOrigin(failed: Observed, history: readonly Observed[]): Origin | undefined {
  const code = failed.errorCode ?? '';
  const sentId = leaseIdSent(failed) !== undefined;
  const lost = HOLDER_LOST.has(code) || (!code && failed.status === 412 && sentId);
  if (!lost && !HELD.has(code)) return undefined;
  const all = leaseOps(history.filter((o) => o !== failed && isBefore(o, failed)));
  const ok = all.filter(succeeded);
  if (lost && code.startsWith('LeaseIdMismatch') && leaseIdSent(failed)) {
    const granted = ok.some((op) => op.event.leaseId === leaseIdSent(failed));
    if (!granted && ok.some((op) => op.event.leaseId !== undefined)) return heldBy(failed, ok);
  }
  return lost ? holderLost(failed, ok, all) : heldBy(failed, ok);
}
