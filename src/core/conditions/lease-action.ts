/**
 * Lease Blob / Lease Container: the action (acquire, renew, change, release, break) against the lease state
 * (lease-table.ts), and the request's lease headers against the ranges the pages document
 * (learn.microsoft.com/rest/api/storageservices/lease-blob, …/lease-container, "Request headers").
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
const GUID = /^[{(]?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}[})]?$/i;

export function leaseActionOf(ctx: RuleContext): LeaseAction | undefined {
  if (ctx.operation.kind !== 'lease') return undefined;
  const action = (ctx.headers['x-ms-lease-action'] ?? '').trim().toLowerCase();
  return ACTIONS.has(action) ? (action as LeaseAction) : undefined;
}

interface Malformed {
  header: string;
  supplied: string;
  errorCode: 'MissingRequiredHeader' | 'InvalidHeaderValue';
  why: string;
  unconfirmed?: boolean;
}

function inRange(value: string, ok: (n: number) => boolean): boolean {
  return /^-?\d+$/.test(value.trim()) && ok(Number(value));
}

const missing = (header: string, why: string): Malformed => ({
  header,
  supplied: '(none)',
  errorCode: 'MissingRequiredHeader',
  why,
});

/** The documented header rules of a lease request, first broken one. */
function malformed(ctx: RuleContext, action: LeaseAction | undefined): Malformed | undefined {
  const h = ctx.headers;
  if (!action) {
    // No action at all is what a service log shows (it records no headers): unknown, not missing.
    const supplied = h['x-ms-lease-action'];
    return supplied === undefined
      ? undefined
      : {
          header: 'x-ms-lease-action',
          supplied,
          errorCode: 'InvalidHeaderValue',
          why: 'the action is one of acquire, renew, change, release, break',
        };
  }
  if ((action === 'renew' || action === 'change' || action === 'release') && !h['x-ms-lease-id'])
    return missing('x-ms-lease-id', `${action} names the lease it acts on`);
  if (action === 'change' && !h['x-ms-proposed-lease-id'])
    return missing('x-ms-proposed-lease-id', 'change names the new lease id');
  if (action === 'acquire') {
    const duration = h['x-ms-lease-duration'];
    if (duration === undefined) return missing('x-ms-lease-duration', 'acquire names a duration');
    if (!inRange(duration, (n) => n === -1 || (n >= 15 && n <= 60)))
      return {
        header: 'x-ms-lease-duration',
        supplied: duration,
        errorCode: 'InvalidHeaderValue',
        why: 'a lease lasts 15 to 60 seconds, or -1 for infinite',
        unconfirmed: true,
      };
  }
  const period = h['x-ms-lease-break-period'];
  if (action === 'break' && period !== undefined && !inRange(period, (n) => n >= 0 && n <= 60))
    return {
      header: 'x-ms-lease-break-period',
      supplied: period,
      errorCode: 'InvalidHeaderValue',
      why: 'a break period is 0 to 60 seconds',
      unconfirmed: true,
    };
  const proposed = h['x-ms-proposed-lease-id'];
  if (proposed !== undefined && (action === 'acquire' || action === 'change') && !GUID.test(proposed.trim()))
    return {
      header: 'x-ms-proposed-lease-id',
      supplied: proposed,
      errorCode: 'InvalidHeaderValue',
      why: 'a proposed lease id is a GUID (the page: "400 (Invalid request) if the proposed lease ID is not in the correct format")',
    };
  return undefined;
}

/** 400 before anything else: a lease request whose own headers are missing or out of range. */
export const leaseRequestRule: ConditionRule = {
  id: 'lease-request',
  doc: 'learn.microsoft.com/rest/api/storageservices/lease-blob (Request headers); Azure/azure-storage-net LeaseTests.cs ("break with too large break time" → 400)',
  check(ctx): RuleVerdict | undefined {
    if (ctx.operation.kind !== 'lease') return undefined;
    const bad = malformed(ctx, leaseActionOf(ctx));
    if (!bad) return undefined;
    return {
      family: 'request',
      header: bad.header,
      supplied: bad.supplied,
      current: null,
      holds: false,
      final: true,
      explanation: `${bad.why}, so Azure rejects the request with 400 before looking at the lease`,
      failure: {
        status: 400,
        errorCode: bad.errorCode,
        cause: 'lease-state-conflict',
        title: `The lease request is malformed: ${bad.header}`,
        fix: [
          `Send ${bad.header} as the Lease ${ctx.operation.target === 'container' ? 'Container' : 'Blob'} page documents it.`,
        ],
      },
      ...(bad.unconfirmed
        ? {
            notes: [`Azure answers 400 for ${bad.header} out of range; the error code ${bad.errorCode} is unconfirmed`],
          }
        : {}),
    };
  },
};

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
