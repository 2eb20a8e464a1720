/** Times in the diagnose timelines: the clock part of an ISO time, and the offset from the failure. */

export function clock(time: string | undefined): string {
  return time ? time.slice(11, 23) : '—';
}

/** Offset from the failure: milliseconds when close (races are sub-second), seconds otherwise. */
export function offset(time: string | undefined, failure: string | undefined): string {
  const t = time ? Date.parse(time) : NaN;
  const f = failure ? Date.parse(failure) : NaN;
  if (Number.isNaN(t) || Number.isNaN(f)) return '';
  const ms = t - f;
  const sign = ms > 0 ? '+' : ms < 0 ? '−' : ' ';
  return Math.abs(ms) < 10_000 ? `${sign}${Math.abs(ms)}ms` : `${sign}${(Math.abs(ms) / 1000).toFixed(1)}s`;
}
