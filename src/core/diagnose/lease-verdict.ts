/**
 * The x-ms-lease-id condition judged from the lease timeline: the rebuilt state has no lease, but when the
 * origin shows what ended the lease (or who held it), the condition's verdict follows from it. Pure.
 */
import type { ConditionResult } from '../conditions/rule.js';
import type { Origin } from './types.js';

const ENDED: Record<string, string> = {
  'lease-expired': 'expired',
  'lease-broken': 'broken',
  'lease-released': 'released',
  'lease-changed': 'changed to another id',
};

/** The origin tells the lease's story (its end, or the other caller holding it). */
export function explainedLease(origin: Origin): boolean {
  return origin.kind in ENDED || /Lease$/.test(origin.by?.operation ?? '');
}

export function withLeaseVerdict(conditions: ConditionResult[], origin: Origin): ConditionResult[] {
  const ended = ENDED[origin.kind];
  if (!ended) return conditions;
  return conditions.map((c) =>
    c.header === 'x-ms-lease-id' && c.holds === null
      ? {
          ...c,
          current: `no active lease (${ended}${origin.by?.time ? ` by ${origin.by.operation} at ${origin.by.time}` : ''})`,
          holds: origin.confidence === 'certain' ? false : null,
          explanation: `${origin.confidence === 'certain' ? '' : 'most likely: '}${origin.summary}`,
        }
      : c,
  );
}
