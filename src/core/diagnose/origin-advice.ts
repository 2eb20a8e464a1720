/**
 * What to change, by origin: each origin calls for a different fix (a lease that ran out wants renewing, a lost
 * response wants an idempotent retry, a reused ETag wants refreshing, another writer wants serializing). Pure.
 */
import { callerText } from './caller.js';
import type { LeaseEvent, Origin, OriginBy } from './types.js';

function who(by: OriginBy | undefined): string {
  if (!by) return 'the other writer';
  return `${by.operation}${by.requestId ? ` ${by.requestId}` : ''} at ${by.time ?? 'an unknown time'}, ${callerText({
    caller: by.caller ?? undefined,
    userAgent: by.userAgent,
    identity: by.identity ?? undefined,
  })}`;
}

/** Fix steps that follow from the origin, first in the report's fix list. */
export function originFix(origin: Origin): string[] {
  switch (origin.kind) {
    case 'lease-expired':
      return [
        'Renew the lease well inside its duration (every half period, as the Functions host does), or hold it with an ' +
          'auto-renewing guard that renews while the work runs and stops the work when a renewal fails; for work of ' +
          'unknown length take an infinite lease and release it when done.',
      ];
    case 'lease-broken':
      return [
        `Find out why ${who(origin.by)} broke the lease: a break is for a holder known to be dead. Make that caller ` +
          'wait for a release (or the lease to expire) instead.',
        'The holder must treat a failed renew or a lease error as the lock lost: stop, re-acquire, re-read the blob (the breaker may have written it), then write.',
      ];
    case 'lease-released':
      return [
        'Keep the lease until the last write that needs it, then release; after a release write without x-ms-lease-id ' +
          '(re-read the blob first: anyone may have written it once the lease was free).',
      ];
    case 'lease-changed':
      return [
        `Use the lease id the Change returned (${origin.by?.operation ?? 'Change'} hands out the new one): every ` +
          'holder of the old id must be told, or route writes through the caller that changed it.',
      ];
    case 'own-earlier-attempt':
      return [
        'Make the write idempotent: when a retried conditional write fails 412 (or 409 for a create), re-read the ' +
          'blob and compare its content with what you wrote — if it is yours, the first attempt succeeded and the ' +
          'write is done; only otherwise start over from the read.',
      ];
    case 'reused-etag':
      return [
        "Refresh the ETag after every write: take the new ETag from each write's response (or re-read the blob) " +
          'before the next conditional write; never keep the ETag of a read across several mutations.',
      ];
    case 'other-writer':
      if (/Lease$/.test(origin.by?.operation ?? ''))
        return [
          `Another caller holds the lease: ${who(origin.by)}. Wait for it to release (or coordinate through it); ` +
            'if this request was meant to hold that lease, pass it the lease id.',
        ];
      return [
        `Another writer changed the blob first: ${who(origin.by)}. Serialize the writers of this blob (one owner, a ` +
          'lease, a queue partition), or read-refresh-write: re-read, re-apply your change, write with the fresh ETag, ' +
          'bounded retries.',
      ];
    case 'unknown':
      return origin.wouldDecide ? [`To tell what made it fail: ${origin.wouldDecide}.`] : [];
    default:
      return [];
  }
}

/** Lease origins whose fix replaces the cause's generic lease advice (which is about renewing in time). */
export function supersedesCauseFix(origin: Origin): boolean {
  return origin.kind === 'lease-broken' || origin.kind === 'lease-released' || origin.kind === 'lease-changed';
}

/** The origin in the words of the report's "Trace concurrent writers" step. */
export function originStep(origin: Origin, leases: readonly LeaseEvent[]): string {
  const head = `origin: ${origin.kind} (${origin.confidence}) — ${origin.summary}`;
  const lease = leases.length
    ? `; lease operations in the window: ${leases
        .map(
          (l) =>
            `${l.action} ${l.status}${l.time ? ` at ${l.time.slice(11, 23)}` : ''} by ` +
            `${callerText({ caller: l.caller ?? undefined, userAgent: l.userAgent, identity: l.identity })}`,
        )
        .join(', ')}`
    : '';
  return `${head}${lease}`;
}
