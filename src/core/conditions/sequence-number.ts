/**
 * x-ms-if-sequence-number-le / -lt / -eq on Put Page and Clear Page: compared with the page blob's
 * sequence number; failing → 412 SequenceNumberConditionNotMet. Doc: learn.microsoft.com/rest/api/storageservices/put-page.
 */
import type { ConditionRule, RuleVerdict } from './rule.js';

type Kind = 'le' | 'lt' | 'eq';

const TEST: Record<Kind, { holds: (seq: number, n: number) => boolean; words: string }> = {
  le: { holds: (seq, n) => seq <= n, words: '≤' },
  lt: { holds: (seq, n) => seq < n, words: '<' },
  eq: { holds: (seq, n) => seq === n, words: '=' },
};

export function sequenceNumberRule(kind: Kind): ConditionRule {
  const header = `x-ms-if-sequence-number-${kind}`;
  return {
    id: `sequence-number-${kind}`,
    doc: 'learn.microsoft.com/rest/api/storageservices/put-page',
    check(ctx): RuleVerdict | undefined {
      const supplied = ctx.headers[header];
      if (!ctx.support.sequence || supplied === undefined) return undefined;
      const base = { family: 'sequence' as const, header, supplied };
      const seq = ctx.state.sequenceNumber;
      if (!/^\d+$/.test(supplied.trim()))
        return { ...base, current: null, holds: null, explanation: 'not a whole number' };
      if (seq === undefined)
        return { ...base, current: null, holds: null, explanation: "the blob's sequence number is unknown" };
      const holds = TEST[kind].holds(seq, Number(supplied));
      return {
        ...base,
        current: String(seq),
        holds,
        explanation:
          `sequence number ${seq} ${holds ? '' : 'is not '}${TEST[kind].words} ` +
          `${supplied}${holds ? '' : ': another writer advanced it'}`,
        ...(holds
          ? {}
          : {
              failure: { status: 412, errorCode: 'SequenceNumberConditionNotMet', cause: 'sequence-number' as const },
            }),
      };
    },
  };
}
