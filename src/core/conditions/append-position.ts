/**
 * x-ms-blob-condition-appendpos: the append succeeds only if the blob's length equals it; else 412
 * AppendPositionConditionNotMet. Doc: learn.microsoft.com/rest/api/storageservices/append-block.
 */
import type { ConditionRule } from './rule.js';

const HEADER = 'x-ms-blob-condition-appendpos';

export const appendPositionRule: ConditionRule = {
  id: 'append-position',
  doc: 'learn.microsoft.com/rest/api/storageservices/append-block',
  check(ctx) {
    const supplied = ctx.headers[HEADER];
    if (!ctx.support.appendPosition || supplied === undefined) return undefined;
    const base = { family: 'append' as const, header: HEADER, supplied };
    const length = ctx.state.contentLength;
    if (!/^\d+$/.test(supplied.trim()))
      return {
        ...base,
        current: null,
        holds: null,
        explanation: 'not a whole number (Azure answers 400; code unconfirmed)',
      };
    if (length === undefined)
      return { ...base, current: null, holds: null, explanation: "the blob's current length is unknown" };
    const holds = Number(supplied) === length;
    return {
      ...base,
      current: String(length),
      holds,
      explanation: holds
        ? 'equals the current length'
        : `the blob is ${length} bytes long, not ${supplied}: someone appended first, or an earlier attempt of ` +
          `this append succeeded and its response was lost`,
      ...(holds
        ? {}
        : { failure: { status: 412, errorCode: 'AppendPositionConditionNotMet', cause: 'append-position' as const } }),
    };
  },
};
