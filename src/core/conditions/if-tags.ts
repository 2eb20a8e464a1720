/**
 * x-ms-if-tags (and x-ms-source-if-tags): the tags predicate is ANDed with every other condition; failing → 412
 * ConditionNotMet. Doc: learn.microsoft.com/azure/storage/blobs/storage-manage-find-blobs
 * ("Conditional blob operations with blob index tags").
 */
import { evaluateIfTags, failingComparisons, parseIfTags } from '../tag-expression.js';
import { subject, suppliedValue, targetOf, unknownTarget, verdict } from './helpers.js';
import type { ConditionRule, RuleContext, RuleVerdict, Scope } from './rule.js';

function judge(ctx: RuleContext, scope: Scope, supplied: string): RuleVerdict {
  const base = { scope, clause: 'tagConditions' as const, supplied };
  const parsed = parseIfTags(supplied);
  if (!parsed.ok) {
    const v = verdict(ctx, 'tags', {
      ...base,
      current: null,
      holds: false,
      explanation: `syntax error at position ${parsed.issue.position}: ${parsed.issue.message}`,
    });
    v.failure = {
      status: 400,
      errorCode: 'InvalidHeaderValue',
      cause: 'tags-condition',
      title: 'The x-ms-if-tags expression is not valid',
      fix: [
        'Fix the expression: keys in "double quotes", values in \'single quotes\', operators = <> > >= < <=, AND, OR.',
      ],
    };
    v.notes = ['the exact 400 error code Azure returns for a malformed x-ms-if-tags is unconfirmed'];
    return v;
  }
  const target = targetOf(ctx, scope)!;
  if (!target.exists)
    return verdict(ctx, 'tags', {
      ...base,
      current: null,
      holds: null,
      explanation: `${subject(scope)} does not exist`,
    });
  if (!target.tags) {
    return verdict(ctx, 'tags', {
      ...base,
      current: null,
      holds: null,
      explanation: `${subject(scope)}'s tags were not read${target.tagsUnreadable ? ` (${target.tagsUnreadable})` : ''}, so this cannot be checked`,
    });
  }
  const current = JSON.stringify(target.tags);
  const holds = evaluateIfTags(parsed.value, target.tags);
  const explanation = holds
    ? 'the tags satisfy the predicate'
    : `false for the current tags: ${failingComparisons(parsed.value, target.tags).join('; ')}`;
  const v = verdict(ctx, 'tags', { ...base, current, holds, explanation });
  if (parsed.unquotedKeys) v.notes = [unquotedNote(parsed.unquotedKeys)];
  return v;
}

/** Judged as if quoted: Azurite accepts bare keys, Azure documents only quoted ones and its answer is unknown. */
function unquotedNote(keys: string[]): string {
  return (
    `tag key ${keys.map((k) => `"${k}"`).join(', ')} is not in double quotes: judged as if quoted (Azurite accepts ` +
    "this); Azure's documentation always quotes keys, and whether Azure accepts it or answers 400 is unconfirmed"
  );
}

export function ifTagsRule(scope: 'main' | 'source'): ConditionRule {
  return {
    id: `${scope}:if-tags`,
    doc: 'learn.microsoft.com/azure/storage/blobs/storage-manage-find-blobs#conditional-blob-operations-with-blob-index-tags',
    check(ctx) {
      const supplied = suppliedValue(ctx, scope, 'tagConditions');
      if (supplied === undefined) return undefined;
      return unknownTarget(ctx, scope, 'tagConditions', supplied) ?? judge(ctx, scope, supplied);
    },
  };
}
