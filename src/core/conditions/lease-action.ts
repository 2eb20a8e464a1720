/**
 * Lease Blob / Lease Container: the action (acquire, renew, change, release, break) against the lease state
 * (lease-table.ts; the request's own headers are lease-request.ts's).
 * The state machine is judged after the If-* conditions: RFC 7232 §5 evaluates preconditions before the method's
 * own checks, and Azurite does the same (LokiBlobMetadataStore `acquireBlobLease`: validateWriteConditions, then
 * the lease state); Azure's order is unconfirmed.
 */
import type { LeaseInfo } from '../types.js';
import { sameLeaseId } from './lease-id.js';
import {
  CONFLICT_FIX,
  LEASE_TABLE,
  type IdRelation,
  type LeaseAction,
  type LeaseCell,
  type LeaseConflictCode,
  type LeaseOutcome,
} from './lease-table.js';
import type { ConditionRule, RuleContext, RuleVerdict } from './rule.js';

const ACTIONS = new Set<string>(['acquire', 'renew', 'change', 'release', 'break']);

export function leaseActionOf(ctx: RuleContext): LeaseAction | undefined {
  if (ctx.operation.kind !== 'lease') return undefined;
  const action = (ctx.headers['x-ms-lease-action'] ?? '').trim().toLowerCase();
  return ACTIONS.has(action) ? (action as LeaseAction) : undefined;
}

/** The header whose id the table compares with the lease's id. */
function idHeader(action: LeaseAction): string | undefined {
  if (action === 'acquire') return 'x-ms-proposed-lease-id';
  return action === 'break' ? undefined : 'x-ms-lease-id';
}

function relation(lease: LeaseInfo, supplied: string | undefined): IdRelation | null {
  if (supplied === undefined || supplied.trim() === '') return 'other';
  if (lease.id !== undefined) return sameLeaseId(lease.id, supplied) ? 'same' : 'other';
  return lease.notIds?.some((id) => sameLeaseId(id, supplied)) ? 'other' : null;
}

function outcomeOf(ctx: RuleContext, action: LeaseAction, lease: LeaseInfo, cell: LeaseCell): LeaseOutcome | null {
  if (cell.same === cell.other) return cell.same;
  const rel = relation(lease, ctx.headers[idHeader(action)!]);
  // Change: a proposed id that already is the lease's id succeeds too (idempotent change; LeaseTests.cs).
  if (action === 'change' && lease.state === 'leased' && rel !== 'same') {
    const proposed = relation(lease, ctx.headers['x-ms-proposed-lease-id']);
    if (proposed === 'same') return 'ok';
    if (rel === null || proposed === null) return null;
  }
  return rel === null ? null : cell[rel];
}

function currentOf(lease: LeaseInfo): string {
  return `${lease.state}${lease.duration ? ` (${lease.duration})` : ''}${lease.id ? `, id ${lease.id}` : ''}`;
}

function conflictVerdict(
  base: Pick<RuleVerdict, 'family' | 'header' | 'supplied'>,
  current: string,
  action: LeaseAction,
  state: string,
  code: LeaseConflictCode,
  notes: string[],
): RuleVerdict {
  const step = CONFLICT_FIX[code];
  return {
    ...base,
    current,
    holds: false,
    explanation: `${action} on a ${state} lease answers 409 ${code}`,
    failure: { status: 409, errorCode: code, cause: 'lease-state-conflict', title: step.title, fix: [step.fix] },
    ...(notes.length ? { notes } : {}),
  };
}

/** 409 when the lease state forbids the action (lease-table.ts). */
export const leaseActionRule: ConditionRule = {
  id: 'lease-action',
  doc: 'learn.microsoft.com/rest/api/storageservices/lease-blob and …/lease-container ("Outcomes of lease operations … by lease state")',
  check(ctx): RuleVerdict | undefined {
    const action = leaseActionOf(ctx);
    if (!action || !ctx.state.exists) return undefined;
    const header = idHeader(action) ?? 'x-ms-lease-action';
    const supplied = action === 'break' ? 'break' : `${action} ${ctx.headers[idHeader(action)!] ?? '(no proposed id)'}`;
    const lease = ctx.state.lease;
    const base = { family: 'lease-action' as const, header, supplied };
    if (!lease)
      return {
        ...base,
        current: null,
        holds: null,
        explanation: `the lease state is unknown, so ${action} cannot be judged`,
      };
    const cell = LEASE_TABLE[action][lease.state];
    const outcome = outcomeOf(ctx, action, lease, cell);
    const notes = [
      ...(cell.note ? [cell.note] : []),
      ...(cell.unconfirmed && outcome !== 'ok'
        ? [`${action} on a ${lease.state} lease: the page says 409; the error code is Azurite's (unconfirmed)`]
        : []),
    ];
    const current = currentOf(lease);
    // Both ids fail (renew on a breaking or broken lease): a 409 either way; the id picks only the code.
    if (outcome === null && cell.same !== 'ok' && cell.other !== 'ok') {
      notes.push(`if the id is not the lease's, Azure answers 409 ${cell.other} instead`);
      return conflictVerdict(base, current, action, lease.state, cell.same, notes);
    }
    if (outcome === null)
      return {
        ...base,
        current,
        holds: null,
        explanation: `${action} on a ${lease.state} lease depends on whether the id is the lease's, and Azure never reports the lease id`,
        ...(notes.length ? { notes } : {}),
      };
    if (outcome === 'ok')
      return {
        ...base,
        current,
        holds: true,
        explanation: `${action} is allowed on a ${lease.state} lease`,
        ...(notes.length ? { notes } : {}),
      };
    return conflictVerdict(base, current, action, lease.state, outcome, notes);
  },
};
