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

/** Sets `key` only when there is a value: absent values are left out of the JSON. */
function put<K extends keyof LeaseEvent>(e: LeaseEvent, key: K, value: LeaseEvent[K] | undefined): void {
  if (value !== undefined) e[key] = value;
}

/** Each request's lease event, read once: a workload summary relates it to many failures. */
const events = new WeakMap<Observed, LeaseEvent | null>();

function baseEventOf(o: Observed): LeaseEvent | undefined {
  const cached = events.get(o);
  if (cached !== undefined) return cached ?? undefined;
  const m = LEASE_OPERATION.exec(o.operation);
  if (!m) {
    events.set(o, null);
    return undefined;
  }
  const action = m[1]!.toLowerCase() as LeaseAction;
  const req = o.capture?.request.headers ?? {};
  const res = o.capture?.response?.headers ?? {};
  const sent = req['x-ms-lease-id'];
  const e: LeaseEvent = {
    action,
    target: m[2] === 'Blob' ? 'blob' : 'container',
    caller: o.caller ?? null,
    status: o.status,
  };
  put(e, 'time', o.time);
  if (action === 'acquire' || action === 'change')
    put(e, 'leaseId', res['x-ms-lease-id'] ?? req['x-ms-proposed-lease-id']);
  else if (action !== 'break') put(e, 'leaseId', sent);
  if (action === 'change') put(e, 'previousLeaseId', sent);
  if (action === 'acquire') put(e, 'duration', seconds(req['x-ms-lease-duration']));
  if (action === 'break') {
    put(e, 'breakPeriod', seconds(req['x-ms-lease-break-period']));
    put(e, 'leaseTime', seconds(res['x-ms-lease-time']));
  }
  put(e, 'requestId', o.requestId);
  put(e, 'clientRequestId', o.clientRequestId);
  put(e, 'userAgent', o.userAgent);
  put(e, 'identity', o.identity);
  put(e, 'errorCode', o.errorCode);
  events.set(o, e);
  return e;
}

/**
 * Every lease operation among `observed`, in their order (oldest first when they are sorted). The events are
 * shared, read once per request: copy one before changing it (`relativeTo` does).
 */
export function leaseOps(observed: readonly Observed[]): LeaseOp[] {
  const out: LeaseOp[] = [];
  for (const o of observed) {
    const event = baseEventOf(o);
    if (event) out.push({ event, o });
  }
  return out;
}

/** The events as the report lists them: each with its offset from the failed request. */
export function relativeTo(ops: readonly LeaseOp[], failed: Observed): LeaseEvent[] {
  const b = timeMs(failed);
  return ops.map(({ event, o }) => {
    const a = timeMs(o);
    return a !== undefined && b !== undefined
      ? { ...event, offsetSeconds: Math.round((a - b) / 100) / 10 }
      : { ...event };
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
