/**
 * x-ms-lease-id against the lease state, checked before the ETag conditions: a leased blob + If-None-Match: *
 * + no id answers 412 LeaseIdMissing, not 409 (Azure/Azurite#2637). Doc: learn.microsoft.com/rest/api/storageservices/lease-blob
 * ("Write/read attempts by lease state"); the infinite-lease rule: learn.microsoft.com/rest/api/storageservices/copy-blob.
 * Azurite orders these differently and skips the infinite-lease check (docs/azurite-differences.md AZ-8, AZ-9, AZ-11).
 * Azure never reports a lease id, so an id that cannot be compared gives `holds: null`.
 */
import type { LeaseInfo } from '../types.js';
import type { ConditionRule, Failure, RuleContext, RuleVerdict } from './rule.js';

const HEADER = 'x-ms-lease-id';
const ACTIVE = new Set(['leased', 'breaking']);
const COPY_DESTINATIONS = new Set(['CopyBlob', 'CopyBlobFromURL', 'PutBlobFromURL']);

/** GUIDs compare as values: case, braces and hyphens do not matter (Azure's case sensitivity is unconfirmed). */
export function sameLeaseId(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/[{}()-]/g, '');
  return norm(a) === norm(b);
}

function fail(ctx: RuleContext, kind: 'Missing' | 'Mismatch' | 'NotPresent'): Failure {
  const target = ctx.operation.target === 'container' ? 'Container' : 'Blob';
  if (kind === 'Missing') return { status: 412, errorCode: 'LeaseIdMissing', cause: 'lease-id-missing' };
  if (kind === 'Mismatch')
    return { status: 412, errorCode: `LeaseIdMismatchWith${target}Operation`, cause: 'lease-id-mismatch' };
  return { status: 412, errorCode: `LeaseNotPresentWith${target}Operation`, cause: 'lease-not-present' };
}

function idMatches(lease: LeaseInfo, supplied: string): boolean | null {
  if (lease.id !== undefined) return sameLeaseId(lease.id, supplied);
  return lease.notIds?.some((id) => sameLeaseId(id, supplied)) ? false : null;
}

function noLease(ctx: RuleContext, supplied: string, lease: LeaseInfo | undefined): RuleVerdict {
  const why = !ctx.state.exists
    ? `the ${ctx.operation.target} does not exist`
    : lease?.state === 'expired'
      ? 'the lease expired (fixed leases last 15–60 s unless renewed)'
      : lease?.state === 'broken'
        ? 'the lease was broken'
        : 'there is no lease (never acquired, or released)';
  return {
    family: 'lease',
    header: HEADER,
    supplied,
    current: lease ? `${lease.state}` : 'no lease',
    holds: false,
    explanation: `${why}, so a lease id cannot match`,
    failure: fail(ctx, 'NotPresent'),
    notes:
      lease && ['expired', 'broken'].includes(lease.state)
        ? [
            'for an expired or broken lease Azure may answer LeaseLost instead of LeaseNotPresentWithBlobOperation (unconfirmed)',
          ]
        : [],
  };
}

function infiniteCheck(ctx: RuleContext, lease: LeaseInfo, base: RuleVerdict): RuleVerdict {
  if (!COPY_DESTINATIONS.has(ctx.operation.name) || lease.duration !== 'fixed') return base;
  return {
    ...base,
    holds: false,
    explanation: 'the destination of a copy must hold an infinite lease, and this lease is fixed-duration',
    failure: {
      status: 412,
      errorCode: 'InfiniteLeaseDurationRequired',
      cause: 'lease-id-mismatch',
      title: 'A copy onto a leased destination needs an infinite lease',
      fix: ['Acquire the destination lease with duration -1 (infinite) before copying onto it.'],
    },
  };
}

function withId(ctx: RuleContext, supplied: string, lease: LeaseInfo): RuleVerdict {
  if (!ACTIVE.has(lease.state)) return noLease(ctx, supplied, lease);
  const current = `${lease.state}${lease.duration ? ` (${lease.duration})` : ''}${lease.id ? `, id ${lease.id}` : ''}`;
  const matches = idMatches(lease, supplied);
  if (matches === false) {
    return {
      family: 'lease',
      header: HEADER,
      supplied,
      current,
      holds: false,
      failure: fail(ctx, 'Mismatch'),
      explanation: 'the active lease has a different id: someone else holds it, or it was re-acquired or changed',
    };
  }
  const base: RuleVerdict =
    matches === null
      ? {
          family: 'lease',
          header: HEADER,
          supplied,
          current,
          holds: null,
          explanation:
            'the lease is active but its id cannot be verified: Azure never reports the lease id (cnm probes it read-only)',
        }
      : { family: 'lease', header: HEADER, supplied, current, holds: true, explanation: 'matches the active lease' };
  return infiniteCheck(ctx, lease, base);
}

/** Whether the leased target needs the id (support.ts `lease`). */
function requires(ctx: RuleContext, lease: LeaseInfo): boolean {
  return ctx.support.lease === 'required' || (ctx.support.lease === 'infinite' && lease.duration === 'infinite');
}

export const leaseIdRule: ConditionRule = {
  id: 'lease-id',
  doc: 'learn.microsoft.com/rest/api/storageservices/lease-blob; github.com/Azure/Azurite/issues/2637 (lease before If-None-Match)',
  check(ctx) {
    if (ctx.support.lease === 'none') return undefined;
    const supplied = ctx.headers[HEADER];
    const lease = ctx.state.lease;
    if (supplied === undefined || supplied.trim() === '') {
      if (!lease || !ACTIVE.has(lease.state) || !requires(ctx, lease)) return undefined;
      return {
        family: 'lease',
        header: HEADER,
        supplied: '(none)',
        current: `${lease.state}${lease.duration ? ` (${lease.duration})` : ''}`,
        holds: false,
        failure: fail(ctx, 'Missing'),
        explanation: `the ${ctx.operation.target} is leased and ${ctx.operation.name} must carry the lease id`,
      };
    }
    if (!ctx.state.exists) return noLease(ctx, supplied, undefined);
    if (!lease)
      return {
        family: 'lease',
        header: HEADER,
        supplied,
        current: null,
        holds: null,
        explanation: 'the lease state is unknown',
      };
    return withId(ctx, supplied, lease);
  },
};
