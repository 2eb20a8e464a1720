/**
 * Lease Blob / Lease Container request headers against the ranges the pages document
 * (learn.microsoft.com/rest/api/storageservices/lease-blob, …/lease-container, "Request headers"): a missing or
 * out-of-range header is 400 before the lease is looked at.
 */
import { leaseActionOf } from './lease-action.js';
import type { LeaseAction } from './lease-table.js';
import type { ConditionRule, RuleContext, RuleVerdict } from './rule.js';

const GUID = /^[{(]?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}[})]?$/i;

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
