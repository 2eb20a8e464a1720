/**
 * How Azure turns individual condition results into one answer (the conditional-headers doc,
 * learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations;
 * lease before conditions: Azure/Azurite#2637):
 * a request-shape or existence failure ends everything; lease checks come before ETag checks; reads use
 * `IM && IUS && (INM || IMS)` with 412 winning over 304; writes use only the IM+IUS (IM decides) and INM+IMS
 * (INM decides) pairs; tags and every other condition are ANDed.
 */
import type { RuleContext, RuleVerdict } from './conditions/rule.js';
import { headerFor } from './conditions/support.js';

export interface Combined {
  /** The verdict whose failure is Azure's answer, when one fails. */
  decisive?: RuleVerdict;
  /** Verdicts Azure does not evaluate because their pair partner decides. */
  notDeciding: Set<RuleVerdict>;
}

const failed = (v: RuleVerdict) => v.holds === false && v.failure !== undefined;

/** In a write pair, the partner decides: IUS is not evaluated next to IM, IMS not next to INM. */
function pairShadowed(ctx: RuleContext, verdicts: RuleVerdict[]): Set<RuleVerdict> {
  const out = new Set<RuleVerdict>();
  for (const v of verdicts) {
    if (!v.scope || v.scope === 'source' || (v.clause !== 'ifUnmodifiedSince' && v.clause !== 'ifModifiedSince'))
      continue;
    const partner = headerFor(v.scope, v.clause === 'ifUnmodifiedSince' ? 'ifMatch' : 'ifNoneMatch');
    if (ctx.headers[partner] !== undefined) out.add(v);
  }
  return out;
}

function decideRead(verdicts: RuleVerdict[]): RuleVerdict | undefined {
  const hard = verdicts.find((v) => failed(v) && v.failure!.status !== 304);
  if (hard) return hard;
  const soft = verdicts.filter(
    (v) => v.scope === 'main' && (v.clause === 'ifNoneMatch' || v.clause === 'ifModifiedSince'),
  );
  // (INM || IMS): 304 only when every one present fails; a null (unverifiable) one keeps the OR open.
  if (soft.length > 0 && soft.every((v) => v.holds === false)) return soft.find(failed);
  return undefined;
}

export function combine(ctx: RuleContext, verdicts: RuleVerdict[]): Combined {
  const notDeciding = ctx.support.combination === 'write' ? pairShadowed(ctx, verdicts) : new Set<RuleVerdict>();
  const final = verdicts.find((v) => v.final && failed(v));
  if (final) return { decisive: final, notDeciding };
  const lease = verdicts.find((v) => v.family === 'lease' && failed(v));
  if (lease) return { decisive: lease, notDeciding };
  const decisive =
    ctx.support.combination === 'read' ? decideRead(verdicts) : verdicts.find((v) => failed(v) && !notDeciding.has(v));
  return { decisive, notDeciding };
}
