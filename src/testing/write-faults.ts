/**
 * The faults checkConcurrentWrites injects between the writers and Azurite, as fault-proxy rules: responses lost
 * after the service applied the request (the client cannot tell whether its write happened), 503 ServerBusy before
 * the service saw it, and delays. Drawn from a seeded generator, so a run can be repeated.
 */
import type { FaultRule } from './fault-proxy.js';

export interface WriteFaults {
  /** Share of requests (0–1) whose response is lost after the service applied them: a connection reset. Default 0.02. */
  lostResponses?: number;
  /** Share of requests answered 503 ServerBusy before the service sees them. Default 0.02. */
  serverBusy?: number;
  /** Share of requests delayed before they are forwarded. Default 0.1. */
  delays?: number;
  /** The longest delay, in ms (delays are spread up to it). Default 25. */
  maxDelayMs?: number;
}

export const DEFAULT_FAULTS: Required<WriteFaults> = {
  lostResponses: 0.02,
  serverBusy: 0.02,
  delays: 0.1,
  maxDelayMs: 25,
};

/** mulberry32: a small, fast, seeded generator of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function share(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`checkConcurrentWrites: faults.${name} must be from 0 to 1`);
  return value;
}

export function faultRules(faults: WriteFaults | false | undefined, seed: number): FaultRule[] {
  if (faults === false) return [];
  const f = { ...DEFAULT_FAULTS, ...faults };
  const random = seeded(seed);
  const chance = (p: number) => () => random() < p;
  const rules: FaultRule[] = [
    { match: chance(share('lostResponses', f.lostResponses)), fault: { kind: 'reset-after' } },
    { match: chance(share('serverBusy', f.serverBusy)), fault: { kind: 'status', status: 503 } },
  ];
  // Four delay sizes up to the longest, a quarter of the delayed requests each: rule i is asked only when the
  // ones before it declined, so it matches with (p/4) / (1 - (i-1)·p/4).
  const quarter = share('delays', f.delays) / 4;
  for (let i = 1; i <= 4; i++) {
    const ms = Math.round((f.maxDelayMs * i) / 4);
    rules.push({ match: chance(quarter / (1 - (i - 1) * quarter)), fault: { kind: 'delay', ms } });
  }
  return rules;
}
