/**
 * Are two requests from the same caller? Only what both sources record is compared: the authenticated identity,
 * the caller's address (without the port: one client opens several connections) and the user agent. No log
 * names a process, so "same" means "nothing the logs record tells them apart", and the basis says what was
 * compared. Pure.
 */
import type { Observed } from './types.js';

export type CallerMatch = 'same' | 'different' | 'unknown';

export interface CallerComparison {
  match: CallerMatch;
  /** What the comparison rested on, for the evidence. */
  basis: string;
}

/** `10.0.0.5:50000` → `10.0.0.5`; `[::1]:443` → `::1`; a bare address stays. */
function hostOf(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracket) return bracket[1];
  return /^[^:]+:\d+$/.test(ip) ? ip.slice(0, ip.lastIndexOf(':')) : ip;
}

/** A Shared Key or SAS tells apart only which key signed; many callers share one. */
function isPrincipal(identity: string | undefined): boolean {
  return Boolean(identity) && !/^(?:account key|SAS|anonymous|OAuth bearer token)\b/.test(identity!);
}

interface Field {
  name: string;
  a?: string;
  b?: string;
  /** Equal values say "same caller" (a principal does; a shared key or SAS only says "same credential"). */
  identifies: boolean;
}

/**
 * compareCallers(a, b).match without its basis (no sentence made): a workload summary asks it of every failure. The
 * same fields in the same order: a value both record that differs says different; else a field that identifies,
 * recorded by both, says same; else unknown.
 */
export function callerMatch(a: Observed, b: Observed): CallerMatch {
  const ia = a.identity;
  const ib = b.identity;
  const ha = hostOf(a.callerIp);
  const hb = hostOf(b.callerIp);
  const ua = a.userAgent;
  const ub = b.userAgent;
  const identity = ia !== undefined && ib !== undefined;
  const address = ha !== undefined && hb !== undefined;
  const agent = ua !== undefined && ub !== undefined;
  if ((identity && ia !== ib) || (address && ha !== hb) || (agent && ua !== ub)) return 'different';
  return (identity && isPrincipal(ia) && isPrincipal(ib)) || address || agent ? 'same' : 'unknown';
}

export function compareCallers(a: Observed, b: Observed): CallerComparison {
  const fields: Field[] = [
    {
      name: 'identity',
      a: a.identity,
      b: b.identity,
      identifies: isPrincipal(a.identity) && isPrincipal(b.identity),
    },
    { name: 'address', a: hostOf(a.callerIp), b: hostOf(b.callerIp), identifies: true },
    { name: 'user agent', a: a.userAgent, b: b.userAgent, identifies: true },
  ];
  const compared = fields.filter((f) => f.a !== undefined && f.b !== undefined);
  const differ = compared.find((f) => f.a !== f.b);
  if (differ) return { match: 'different', basis: `${differ.name} ${differ.b} vs ${differ.a}` };
  const same = compared.filter((f) => f.identifies);
  if (same.length === 0) return { match: 'unknown', basis: 'the sources record nothing that tells the callers apart' };
  return {
    match: 'same',
    basis:
      `the same ${same.map((f) => `${f.name} (${f.a})`).join(', ')}, as far as the sources tell: another ` +
      'process with the same ones would look alike',
  };
}

/** A user agent's first product (`worker-a/1.0`), the part an application sets; the SDK's tokens follow it. */
function shortUserAgent(ua: string | undefined): string | undefined {
  if (!ua) return undefined;
  const first = /^\S+/.exec(ua.trim())?.[0];
  return first && first.length < ua.trim().length ? `${first} …` : ua.trim();
}

/** The caller in a sentence: its user agent's first product, its address, and a principal when one is logged. */
export function callerText(o: Pick<Observed, 'caller' | 'userAgent' | 'identity'>): string {
  const parts = [
    shortUserAgent(o.userAgent),
    o.caller ? `from ${o.caller}` : undefined,
    isPrincipal(o.identity) ? `as ${o.identity}` : undefined,
  ].filter(Boolean);
  return parts.length ? parts.join(' ') : 'an unknown caller';
}
