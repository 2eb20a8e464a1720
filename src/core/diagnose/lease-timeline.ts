/**
 * The blob's lease operations as the sources show them. Service logs name the operation (AcquireBlobLease,
 * RenewBlobLease, ChangeBlobLease, ReleaseBlobLease, BreakBlobLease and the Container ones:
 * learn.microsoft.com/azure/storage/blobs/map-rest-apis-transaction-categories) but record no lease header;
 * captures, HAR, SDK and Azurite logs carry x-ms-lease-action, x-ms-lease-id, x-ms-proposed-lease-id,
 * x-ms-lease-duration and x-ms-lease-break-period (learn.microsoft.com/rest/api/storageservices/lease-blob). Pure.
 */
import { timeMs } from './timeline.js';
import type { LeaseAction, LeaseEvent, Observed } from './types.js';

const LEASE_OPERATION = /^(Acquire|Renew|Change|Release|Break)(Blob|Container)Lease$/;

/** A lease operation and what the sources recorded of it: the event and the request it came from. */
export interface LeaseOp {
  event: LeaseEvent;
  o: Observed;
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

/** The lease id a request sent (x-ms-lease-id), when its source records headers. */
export function leaseIdSent(o: Observed): string | undefined {
  return o.capture?.request.headers['x-ms-lease-id'];
}

function compactEvent(e: LeaseEvent): LeaseEvent {
  return Object.fromEntries(
    Object.entries(e).filter(([k, v]) => v !== undefined || k === 'caller'),
  ) as unknown as LeaseEvent;
}

function leaseEventOf(o: Observed, relativeTo?: Observed): LeaseEvent | undefined {
  const m = LEASE_OPERATION.exec(o.operation);
  if (!m) return undefined;
  const action = m[1]!.toLowerCase() as LeaseAction;
  const req = o.capture?.request.headers ?? {};
  const res = o.capture?.response?.headers ?? {};
  const sent = req['x-ms-lease-id'];
  const granted = res['x-ms-lease-id'] ?? req['x-ms-proposed-lease-id'];
  const e: LeaseEvent = {
    time: o.time,
    action,
    target: m[2] === 'Blob' ? 'blob' : 'container',
    leaseId: action === 'acquire' || action === 'change' ? granted : action === 'break' ? undefined : sent,
    previousLeaseId: action === 'change' ? sent : undefined,
    duration: action === 'acquire' ? seconds(req['x-ms-lease-duration']) : undefined,
    breakPeriod: action === 'break' ? seconds(req['x-ms-lease-break-period']) : undefined,
    leaseTime: action === 'break' ? seconds(res['x-ms-lease-time']) : undefined,
    requestId: o.requestId,
    clientRequestId: o.clientRequestId,
    caller: o.caller ?? null,
    userAgent: o.userAgent,
    identity: o.identity,
    status: o.status,
    errorCode: o.errorCode,
  };
  const a = timeMs(o);
  const b = relativeTo ? timeMs(relativeTo) : undefined;
  if (a !== undefined && b !== undefined) e.offsetSeconds = Math.round((a - b) / 100) / 10;
  return compactEvent(e);
}

/** Every lease operation among `observed`, in their order (oldest first when they are sorted). */
export function leaseOps(observed: readonly Observed[], relativeTo?: Observed): LeaseOp[] {
  return observed.flatMap((o) => {
    const event = leaseEventOf(o, relativeTo);
    return event ? [{ event, o }] : [];
  });
}

export function succeeded(op: LeaseOp): boolean {
  return op.o.status >= 200 && op.o.status < 300;
}

/** Human wording of one lease event, for evidence and steps. */
export function describeLeaseEvent(e: LeaseEvent): string {
  const id = e.leaseId ? ` ${e.leaseId}` : '';
  const detail =
    e.action === 'acquire'
      ? `${id}${e.duration === undefined ? ' (duration not recorded)' : e.duration < 0 ? ', infinite' : `, ${e.duration} s`}`
      : e.action === 'change'
        ? `${e.previousLeaseId ? ` ${e.previousLeaseId}` : ''} → ${e.leaseId ?? 'a new id'}`
        : e.action === 'break'
          ? e.breakPeriod !== undefined
            ? `, break period ${e.breakPeriod} s`
            : e.leaseTime !== undefined
              ? `, broken in ${e.leaseTime} s`
              : ''
          : id;
  return `${e.action}${detail}`;
}
