/**
 * The blob's lease requests (`leases[]`) as bars: a lease runs from its acquire, through its renewals, to the
 * release, break or change that ended it, or to its expiry (the last acquire or renew plus the duration, when the
 * duration is finite and nothing ended it sooner). Lease actions and their effects:
 * https://learn.microsoft.com/rest/api/storageservices/lease-blob
 */
import type { LeaseEvent } from '../../core/diagnose/types.js';

type LeaseEnd = 'released' | 'broken' | 'changed' | 'expired' | 'open';

export interface LeaseBar {
  leaseId?: string;
  caller?: string | null;
  start: number;
  /** Where the bar stops: the ending request, the expiry, or (open) the last time the chart shows. */
  end: number;
  endedBy: LeaseEnd;
  /** Times of successful renewals. */
  renewals: number[];
  duration?: number;
}

export interface LeaseChart {
  bars: LeaseBar[];
  /** Lease requests the service refused (409, 412): marks, not bars. */
  refused: LeaseEvent[];
}

type Action = 'acquire' | 'renew' | 'release' | 'break' | 'change';

/** `action` as logged: `acquire`, `AcquireBlobLease`, … */
export function leaseAction(action: string): Action | undefined {
  const m = /acquire|renew|release|break|change/i.exec(action);
  return m ? (m[0].toLowerCase() as Action) : undefined;
}

function expiry(bar: LeaseBar): number | undefined {
  if (bar.duration === undefined || bar.duration < 0) return undefined;
  return (bar.renewals.at(-1) ?? bar.start) + bar.duration * 1000;
}

/** Closes `bar` at `at` (or at its expiry if that came first). */
function close(bar: LeaseBar, at: number, by: LeaseEnd): void {
  const expires = expiry(bar);
  if (expires !== undefined && expires < at) {
    bar.end = expires;
    bar.endedBy = 'expired';
  } else {
    bar.end = at;
    bar.endedBy = by;
  }
}

export function leaseBars(events: LeaseEvent[], chartEnd: number): LeaseChart {
  const bars: LeaseBar[] = [];
  const refused: LeaseEvent[] = [];
  let open: LeaseBar | undefined;
  const sorted = events
    .map((e) => ({ e, t: Date.parse(e.time ?? '') }))
    .filter((x) => Number.isFinite(x.t))
    .sort((a, b) => a.t - b.t);
  for (const { e, t } of sorted) {
    const action = leaseAction(e.action);
    if (e.status >= 300 || !action) {
      refused.push(e);
      continue;
    }
    if (open && expiry(open) !== undefined && expiry(open)! < t) {
      close(open, t, 'expired');
      open = undefined;
    }
    if (action === 'acquire' || (action === 'renew' && !open)) {
      if (open) close(open, t, 'changed');
      open = {
        leaseId: e.leaseId,
        caller: e.caller,
        start: t,
        end: chartEnd,
        endedBy: 'open',
        renewals: [],
        duration: e.duration,
      };
      bars.push(open);
    } else if (action === 'renew' && open) {
      open.renewals.push(t);
      if (e.duration !== undefined) open.duration = e.duration;
    } else if (open) {
      close(open, t, action === 'release' ? 'released' : action === 'break' ? 'broken' : 'changed');
      const changedTo = action === 'change' && e.leaseId && e.leaseId !== open.leaseId ? e.leaseId : undefined;
      const duration = open.duration;
      open = undefined;
      if (changedTo) {
        open = {
          leaseId: changedTo,
          caller: e.caller,
          start: t,
          end: chartEnd,
          endedBy: 'open',
          renewals: [],
          duration,
        };
        bars.push(open);
      }
    }
  }
  if (open) {
    const expires = expiry(open);
    if (expires !== undefined && expires <= chartEnd) close(open, chartEnd, 'expired');
  }
  return { bars, refused };
}
