/**
 * x-ms-if-tags as Azurite 3.35 evaluates it (persistence/QueryInterpreter/QueryInterpreter.js `executeQuery`,
 * QueryNodes/KeyNode.js, EqualsNode.js…): the blob's tags are copied onto a plain `{}` by assignment and a key is
 * read with inheritance. So a tag named `__proto__` is lost (the assignment sets the prototype), and a key that names
 * one of Object.prototype's members (`constructor`, `toString`, `__proto__`…) compares that member, not a tag: a
 * function compares as its source text, the prototype as "[object Object]". Azure stores tags as plain strings and a
 * tag the blob does not have makes a comparison false (AZ-29). Pure.
 */
import { ifTagsRule } from '../conditions/if-tags.js';
import { suppliedValue, targetOf } from '../conditions/helpers.js';
import type { RuleContext, Scope } from '../conditions/rule.js';
import { parseIfTags, type TagExpr } from '../tag-expression.js';

export interface AzuriteTags {
  fails: boolean;
  /** Azurite's answer is not Azure's: the predicate named an Object.prototype member (AZ-29). */
  differs: boolean;
}

function holds(expr: TagExpr, view: Record<string, unknown>): boolean {
  if (expr.type !== 'cmp') {
    return expr.type === 'and'
      ? holds(expr.left, view) && holds(expr.right, view)
      : holds(expr.left, view) || holds(expr.right, view);
  }
  // KeyNode: `context[identifier]`, inherited members included.
  const actual: unknown = view[expr.key];
  if (actual === undefined) return false;
  if (expr.op === '=') return actual === expr.value;
  if (expr.op === '<>') return actual !== expr.value;
  // JavaScript's relational operators turn a function or object into its string form first.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- "[object Object]" is what Azurite compares
  const text = String(actual);
  switch (expr.op) {
    case '>':
      return text > expr.value;
    case '>=':
      return text >= expr.value;
    case '<':
      return text < expr.value;
    case '<=':
      return text <= expr.value;
  }
}

/** Whether Azurite fails the scope's tags predicate, and whether that is not Azure's verdict; undefined without one. */
export function azuriteTags(ctx: RuleContext, scope: Extract<Scope, 'main' | 'source'>): AzuriteTags | undefined {
  const azure = ifTagsRule(scope).check(ctx);
  if (!azure) return undefined;
  const azureFails = azure.holds === false;
  const tags = targetOf(ctx, scope)?.tags;
  const parsed = parseIfTags(suppliedValue(ctx, scope, 'tagConditions') ?? '');
  if (azure.holds === null || !tags || !parsed.ok) return { fails: azureFails, differs: false };
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tags)) view[key] = value;
  const fails = !holds(parsed.value, view);
  return { fails, differs: fails !== azureFails };
}
