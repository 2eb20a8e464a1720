/** `cnm stats` options as a plan: the range, the bucket, the gates. Validation returns data, never throws. Pure. */
import { parseDuration, parseIsoTime, parseTimeArg } from '../diagnose/time-options.js';
import { blobPrefixProblem } from './blob-prefix.js';
import { chooseBucket, isoDuration, MAX_BUCKETS } from './buckets.js';

export interface StatsFlags {
  since?: string;
  until?: string;
  bucket?: string;
  blob?: string;
  top?: string;
  deployedAt?: string;
  expectDrop?: boolean;
  failAbove?: string;
}

export interface StatsPlan {
  since: number;
  until: number;
  bucketMs: number;
  bucket: string;
  blob?: string;
  top: number;
  deployedAt?: number;
  expectDrop: boolean;
  failAbove?: number;
}

export type PlanResult = { ok: true; plan: StatsPlan } | { ok: false; message: string; hint?: string };

const DAY = 86_400_000;

function time(flag: string, value: string | undefined, now: Date, fallback: number): number | string {
  if (value === undefined) return fallback;
  const r = parseTimeArg(value, now);
  return r.ok ? Date.parse(r.value) : `${flag}: ${r.message}`;
}

/** `0.05`, `5%` → 0.05. */
function rateArg(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]) / (m[2] ? 100 : 1);
  return v <= 1 ? v : undefined;
}

function gates(f: StatsFlags, since: number, until: number): PlanResult | Pick<StatsPlan, 'deployedAt' | 'failAbove'> {
  const out: Pick<StatsPlan, 'deployedAt' | 'failAbove'> = {};
  if (f.deployedAt !== undefined) {
    const at = parseIsoTime(f.deployedAt);
    if (at === undefined) return { ok: false, message: `--deployed-at: "${f.deployedAt}" is not an ISO 8601 time` };
    if (at <= since || at >= until)
      return {
        ok: false,
        message: `--deployed-at ${f.deployedAt} is not inside the range (${new Date(since).toISOString()} to ${new Date(until).toISOString()})`,
        hint: 'widen --since/--until so the range has both sides of the deploy',
      };
    out.deployedAt = at;
  }
  if (f.expectDrop && out.deployedAt === undefined)
    return {
      ok: false,
      message: '--expect-drop needs --deployed-at <ISO>',
      hint: 'cnm stats --deployed-at … --expect-drop',
    };
  if (f.failAbove !== undefined) {
    const rate = rateArg(f.failAbove);
    if (rate === undefined)
      return { ok: false, message: `--fail-above: "${f.failAbove}" is not a rate (0.05 or 5%, at most 1)` };
    out.failAbove = rate;
  }
  return out;
}

export function planStats(f: StatsFlags, now = new Date()): PlanResult {
  const until = time('--until', f.until, now, now.getTime());
  if (typeof until === 'string') return { ok: false, message: until };
  const since = time('--since', f.since, now, until - DAY);
  if (typeof since === 'string') return { ok: false, message: since };
  if (since >= until)
    return {
      ok: false,
      message: `--since ${new Date(since).toISOString()} is not before --until ${new Date(until).toISOString()}`,
    };
  let bucketMs = chooseBucket(until - since);
  if (f.bucket !== undefined) {
    const d = parseDuration(f.bucket);
    if (!d.ok) return { ok: false, message: `--bucket: ${d.message}` };
    if (d.value < 1000) return { ok: false, message: `--bucket: ${f.bucket} is shorter than a second` };
    bucketMs = d.value;
  }
  if ((until - since) / bucketMs > MAX_BUCKETS)
    return {
      ok: false,
      message: `--bucket ${f.bucket} cuts the range into more than ${MAX_BUCKETS} buckets`,
      hint: 'choose a longer --bucket or a shorter range',
    };
  const top = f.top === undefined ? 10 : /^\d+$/.test(f.top.trim()) ? Number(f.top) : NaN;
  if (!(top >= 1 && top <= 10_000)) return { ok: false, message: `--top: "${f.top}" is not a count from 1 to 10000` };
  const badPrefix = f.blob === undefined ? undefined : blobPrefixProblem(f.blob);
  if (badPrefix)
    return {
      ok: false,
      message: `--blob: ${badPrefix}, so no blob is under "${f.blob}"`,
      hint: '--blob takes container/prefix or /account/container/prefix',
    };
  const g = gates(f, since, until);
  if ('ok' in g) return g;
  return {
    ok: true,
    plan: {
      since,
      until,
      bucketMs,
      bucket: isoDuration(bucketMs),
      ...(f.blob ? { blob: f.blob } : {}),
      top,
      ...g,
      expectDrop: Boolean(f.expectDrop),
    },
  };
}
