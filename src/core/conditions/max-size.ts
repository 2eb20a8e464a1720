/**
 * x-ms-blob-condition-maxsize: fails when the blob's length plus this block's length would exceed it (or the
 * blob is already larger); 412 MaxBlobSizeConditionNotMet. Doc: learn.microsoft.com/rest/api/storageservices/append-block.
 */
import type { ConditionRule, RuleVerdict } from './rule.js';

const HEADER = 'x-ms-blob-condition-maxsize';

export const maxSizeRule: ConditionRule = {
  id: 'max-size',
  doc: 'learn.microsoft.com/rest/api/storageservices/append-block',
  check(ctx): RuleVerdict | undefined {
    const supplied = ctx.headers[HEADER];
    if (!ctx.support.maxSize || supplied === undefined) return undefined;
    const base = { family: 'append' as const, header: HEADER, supplied };
    const length = ctx.state.contentLength;
    if (!/^\d+$/.test(supplied.trim()))
      return { ...base, current: null, holds: null, explanation: 'not a whole number' };
    if (length === undefined)
      return { ...base, current: null, holds: null, explanation: "the blob's current length is unknown" };
    const max = Number(supplied);
    const blockText = ctx.headers['content-length'];
    const block = blockText !== undefined && /^\d+$/.test(blockText.trim()) ? Number(blockText) : undefined;
    const failure = { status: 412, errorCode: 'MaxBlobSizeConditionNotMet', cause: 'max-size' as const };
    if (block === undefined) {
      return length > max
        ? {
            ...base,
            current: String(length),
            holds: false,
            failure,
            explanation: `the blob is already ${length} bytes, over ${max}`,
          }
        : {
            ...base,
            current: String(length),
            holds: null,
            explanation: "the block's length (Content-Length) is unknown",
          };
    }
    const holds = length + block <= max;
    return {
      ...base,
      current: String(length),
      holds,
      explanation: `${length} + ${block} (this block) = ${length + block} ${holds ? '≤' : '>'} ${max}`,
      ...(holds ? {} : { failure }),
    };
  },
};
