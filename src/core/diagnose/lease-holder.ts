/**
 * The lease a failed request held, from the blob's lease operations: the Acquire (or Change) that gave it its id,
 * the Renews that kept it, and what ended it — a Break, its Release or Change, or another Acquire. Pure.
 */
import { compareCallers } from './caller.js';
import { leaseIdSent, type LeaseOp } from './lease-timeline.js';
import { isBefore } from './timeline.js';
import type { Observed } from './types.js';

function last<T>(list: readonly T[]): T | undefined {
  return list[list.length - 1];
}

export interface HolderLease {
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
export function holderLease(failed: Observed, ok: LeaseOp[]): HolderLease | undefined {
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
export function enderOf(lease: HolderLease, ok: LeaseOp[]): LeaseOp | undefined {
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
