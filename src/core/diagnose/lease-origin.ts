/**
 * What happened to the lease a failed request ran into, from the blob's lease operations: the holder's lease
 * expired, was broken, released or changed; or another caller held one. The rules are the Lease Blob
 * operation's (learn.microsoft.com/rest/api/storageservices/lease-blob): a fixed lease lasts 15–60 s from its
 * acquire or last renew, a break ends it after the break period, a release ends it at once, a change gives
 * it a new id. Service logs record the operations but not their headers (no lease id, no duration): there the
 * story is told from what they show, and says `likely`. Pure.
 */
import { compareCallers } from './caller.js';
import { holderLost, LEASE_LOGGING, unknown } from './lease-lost.js';
import { describeLeaseEvent, leaseIdSent, succeeded, type LeaseOp } from './lease-timeline.js';
import { before, named, seen, toBy } from './origin-evidence.js';
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

/** The failed request held or named a lease that is gone (true), ran into another's (false), or neither. */
function holderLostLease(failed: Observed): boolean {
  const code = failed.errorCode ?? '';
  return HOLDER_LOST.has(code) || (!code && failed.status === 412 && leaseIdSent(failed) !== undefined);
}

/** Is the failure about a lease (leaseOrigin tells it)? */
export function isLeaseFailure(failed: Observed): boolean {
  return holderLostLease(failed) || HELD.has(failed.errorCode ?? '');
}

/** The lease story of a lease failure; undefined when the failure is not about a lease. */
export function leaseOrigin(failed: Observed, ops: readonly LeaseOp[]): Origin | undefined {
  if (!isLeaseFailure(failed)) return undefined;
  const code = failed.errorCode ?? '';
  const lost = holderLostLease(failed);
  const all = ops.filter((op) => op.o !== failed && isBefore(op.o, failed));
  const ok = all.filter(succeeded);
  if (lost && code.startsWith('LeaseIdMismatch') && leaseIdSent(failed)) {
    const granted = ok.some((op) => op.event.leaseId === leaseIdSent(failed));
    if (!granted && ok.some((op) => op.event.leaseId !== undefined)) return heldBy(failed, ok);
  }
  return lost ? holderLost(failed, ok, all) : heldBy(failed, ok);
}
