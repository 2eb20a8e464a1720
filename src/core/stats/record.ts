/**
 * One request as the stats aggregator needs it: the few fields every request is counted by, read cheaply, and the
 * whole request (`observe`) built only when a failure's origin is classified. A service-log fast path fills the
 * cheap fields straight from a line; `recordOf` wraps a request already read in full. Pure.
 */
import type { Observed } from '../diagnose/types.js';
import { hostOf, isConditional, isWrite, outcomeOf, type Outcome } from './failure.js';

export interface StatsRecord {
  /** Epoch ms; NaN when the source has no time. */
  time: number;
  outcome: Outcome;
  /** Azure's error code, else the status: the key of byErrorCode. */
  errorKey: string;
  blobKey: string | undefined;
  /** A hash of blobKey, when the source can give one without making the string (the $logs fast path). */
  keyHash?: number;
  conditional: boolean;
  write: boolean;
  /**
   * True when the request cannot have changed its blob, and its log says so: a service-log line (no capture) that is
   * not a success of a writing operation, with a logged status (not 0). originKind reads nothing of such a request
   * (it looks for writes that changed the ETag, and for attempts that got no answer), so a failure's history is told
   * without them (failure-judge.ts judgeQuickly). Undefined: it may matter.
   */
  inert?: boolean;
  /** Who wrote: identity, host, user agent (only asked of writes). */
  writer(): string;
  /** Called before the aggregator holds on to the record past the call (a fast path's line buffer is reused). */
  keep(): void;
  /** The whole request (only asked for failures and the history they are classified against). */
  observe(): Observed;
  /** The request as plain data another thread can rebuild it from (a failure judged elsewhere, failure-judge.ts). */
  portable(): PortableRecord;
}

/** A `$logs` line as read (parsed where it is judged), or a request already read in full. */
export type PortableRecord =
  | {
      line: string;
      lineNo: number;
      file: string | undefined;
      order: number;
      /** Where the line's fields start, as the fast path split it (storage-analytics-log.ts parseAnalyticsLine). */
      bounds?: readonly number[];
    }
  | { observed: Observed };

function writerOf(o: Observed): string {
  return [o.identity ?? '', hostOf(o.callerIp) ?? o.caller ?? '', o.userAgent ?? ''].join('\u0001');
}

export function recordOf(o: Observed): StatsRecord {
  const outcome = outcomeOf(o);
  return {
    time: o.time ? Date.parse(o.time) : NaN,
    outcome,
    errorKey: o.errorCode ?? String(o.status),
    blobKey: o.blobKey,
    conditional: isConditional(o, outcome),
    write: isWrite(o),
    writer: () => writerOf(o),
    keep: () => undefined,
    observe: () => o,
    portable: () => ({ observed: o }),
  };
}
