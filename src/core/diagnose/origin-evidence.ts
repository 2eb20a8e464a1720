/** How the origin names a request: `by`, evidence lines with the source line each was read from, offsets. Pure. */
import { callerText } from './caller.js';
import { timeMs } from './timeline.js';
import type { Observed, OriginBy } from './types.js';

function where(o: Observed): string {
  const s = o.source;
  return `${s.kind}${s.file ? ` ${s.file}${s.line ? `:${s.line}` : ''}` : ''}`;
}

function outcome(o: Observed): string {
  return o.status === 0 ? 'no response' : `${o.status}${o.errorCode ? ` ${o.errorCode}` : ''}`;
}

/** One evidence line: when, what, its answer, who, and where it was read. */
export function seen(o: Observed, what: string): string {
  return (
    `${o.time ?? '(no time)'} ${o.operation}${o.requestId ? ` ${o.requestId}` : ''} → ${outcome(o)}, ` +
    `${callerText(o)}: ${what} [${where(o)}]`
  );
}

export function toBy(o: Observed, target: Observed): OriginBy {
  const by: OriginBy = {
    time: o.time,
    operation: o.operation,
    requestId: o.requestId,
    clientRequestId: o.clientRequestId,
    caller: o.caller ?? null,
    userAgent: o.userAgent,
    identity: o.identity ?? null,
    status: o.status,
  };
  const a = timeMs(o);
  const b = timeMs(target);
  if (a !== undefined && b !== undefined) by.offsetSeconds = Math.round((a - b) / 100) / 10;
  // Absent fields are left out (caller and identity say null); stats calls this for every failure of a workload.
  for (const k of Object.keys(by) as Array<keyof OriginBy>) if (by[k] === undefined) delete by[k];
  return by;
}

/** `7 ms before this request`, `17.2 s before this request`, or `earlier` when a time is missing. */
export function before(o: Observed, target: Observed): string {
  const a = timeMs(o);
  const b = timeMs(target);
  if (a === undefined || b === undefined) return 'earlier';
  const ms = b - a;
  return ms < 10_000 ? `${ms} ms before this request` : `${(ms / 1000).toFixed(1)} s before this request`;
}

/** `operation at time by caller`: a request named in a sentence. */
export function named(o: Observed): string {
  return `${o.operation} at ${o.time ?? 'an unknown time'} by ${callerText(o)}`;
}
