/**
 * Azurite 3.35's lease state machine, state class for state class (node_modules/azurite/dist/src/blob/lease/
 * LeaseAvailableState.js, LeaseLeasedState.js, LeaseExpiredState.js, LeaseBreakingState.js, LeaseBrokenState.js;
 * the same classes serve containers through ContainerLeaseAdapter). Each answer that differs from Azure's table
 * (conditions/lease-table.ts) names its docs/azurite-differences.md id. Undefined = the action succeeds. Pure.
 */
import { leaseActionOf } from '../conditions/lease-action.js';
import type { RuleContext } from '../conditions/rule.js';
import type { AzuriteAnswer } from './validators.js';

const conflict = (errorCode: string, id?: string): AzuriteAnswer => ({ status: 409, errorCode, ...(id ? { id } : {}) });
const INVALID: AzuriteAnswer = { status: 400, errorCode: 'InvalidHeaderValue' };
const MISMATCH = conflict('LeaseIdMismatchWithLeaseOperation');
const NOT_PRESENT = conflict('LeaseNotPresentWithLeaseOperation');

/** `getInvalidLeaseDuration`: -1 or 15–60. */
const badDuration = (d: number) => (d < 15 || d > 60) && d !== -1;

/** Lease*State.acquire: a new or re-acquired lease; Leased/Breaking refuse another id before the duration (AZ-24). */
function acquire(state: string, same: boolean, duration: number): AzuriteAnswer | undefined {
  if (state === 'leased' && !same) return conflict('LeaseAlreadyPresent', badDuration(duration) ? 'AZ-24' : undefined);
  if (state === 'breaking') {
    const answer = conflict(same ? 'LeaseIsBreakingAndCannotBeAcquired' : 'LeaseAlreadyPresent');
    return badDuration(duration) ? { ...answer, id: 'AZ-24' } : answer;
  }
  return badDuration(duration) ? INVALID : undefined;
}

/** Lease*State.break: the period is range-checked only on a fixed leased lease and on a breaking one (AZ-24). */
function breakLease(state: string, infinite: boolean, period: number | undefined): AzuriteAnswer | undefined {
  const bad = period !== undefined && (period < 0 || period > 60);
  if (state === 'available') return bad ? { ...NOT_PRESENT, id: 'AZ-24' } : NOT_PRESENT;
  if ((state === 'leased' && !infinite) || state === 'breaking') return bad ? INVALID : undefined;
  return bad ? { status: 202, id: 'AZ-24' } : undefined;
}

function renew(state: string, same: boolean): AzuriteAnswer | undefined {
  // LeaseExpiredState.renew takes no id: any id renews an expired lease (AZ-25).
  if (state === 'expired') return same ? undefined : { status: 200, id: 'AZ-25' };
  if (state === 'leased') return same ? undefined : MISMATCH;
  if (state === 'breaking' || state === 'broken') return same ? conflict('LeaseIsBrokenAndCannotBeRenewed') : MISMATCH;
  return MISMATCH;
}

function change(state: string, same: boolean, proposedSame: boolean): AzuriteAnswer | undefined {
  if (state === 'leased') return same || proposedSame ? undefined : MISMATCH;
  if (state === 'breaking') return same ? conflict('LeaseIsBreakingAndCannotBeChanged') : MISMATCH;
  return NOT_PRESENT;
}

const num = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : Number(v));

/** What Azurite's lease classes answer to a lease action on an existing blob or container with a known lease id. */
export function azuriteLeaseAction(ctx: RuleContext): AzuriteAnswer | undefined {
  const action = leaseActionOf(ctx);
  const lease = ctx.state.lease;
  if (!action || !lease) return undefined;
  const h = ctx.headers;
  // Lease ids compare with `===` here (case-sensitive, AZ-15).
  const is = (v: string | undefined) => v !== undefined && lease.id !== undefined && v === lease.id;
  const state = lease.state;
  switch (action) {
    case 'acquire':
      return acquire(state, is(h['x-ms-proposed-lease-id']), num(h['x-ms-lease-duration']) ?? -1);
    case 'break':
      return breakLease(state, lease.duration === 'infinite', num(h['x-ms-lease-break-period']));
    case 'renew':
      return renew(state, is(h['x-ms-lease-id']));
    case 'change':
      return change(state, is(h['x-ms-lease-id']), is(h['x-ms-proposed-lease-id']));
    case 'release':
      return state !== 'available' && is(h['x-ms-lease-id']) ? undefined : MISMATCH;
  }
}
