/** Time buckets of a stats range: the size chosen from the range when not given, ISO 8601 names, the grid. Pure. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Sizes tried in order when --bucket is not given: the first that cuts the range into at most MAX_AUTO buckets. */
const CANDIDATES = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY];
const MAX_AUTO = 30;
/** A chart of more buckets than this is no longer read at a glance, and costs memory for nothing. */
export const MAX_BUCKETS = 10_000;

export function chooseBucket(rangeMs: number): number {
  return CANDIDATES.find((b) => rangeMs / b <= MAX_AUTO) ?? CANDIDATES.at(-1)!;
}

/** 3600000 → PT1H, 86400000 → P1D, 90000 → PT1M30S. */
export function isoDuration(ms: number): string {
  const days = Math.floor(ms / DAY);
  let rest = ms - days * DAY;
  const h = Math.floor(rest / HOUR);
  rest -= h * HOUR;
  const m = Math.floor(rest / MINUTE);
  rest -= m * MINUTE;
  const s = rest / 1000;
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

/** The bucket grid: starts aligned to the bucket size in UTC, so hours start on the hour. */
export class BucketGrid {
  readonly first: number;
  readonly count: number;

  constructor(
    readonly since: number,
    readonly until: number,
    readonly size: number,
  ) {
    this.first = Math.floor(since / size) * size;
    this.count = Math.max(1, Math.ceil((until - this.first) / size));
  }

  index(t: number): number {
    return Math.floor((t - this.first) / this.size);
  }

  start(i: number): string {
    return new Date(this.first + i * this.size).toISOString();
  }
}
