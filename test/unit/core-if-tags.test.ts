import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluateIfTags,
  failingComparisons,
  parseIfTags,
  printIfTags,
  type TagExpr,
} from '../../src/core/tag-expression.js';

const TAGS = { status: 'final', version: '10', team: 'a' };

describe('if-tags', () => {
  it.each([
    [`"status" = 'final'`, true],
    [`"status" <> 'final'`, false],
    [`"version" > '9'`, false], // string comparison, as Azure does: '10' < '9'
    [`"version" >= '10' AND "team" = 'a'`, true],
    [`"status" = 'draft' OR "team" = 'a'`, true],
    [`"status" = 'draft' OR "team" = 'b' AND "version" = '10'`, false],
    [`("status" = 'draft' OR "team" = 'a') AND "version" = '10'`, true],
    [`"missing" = ''`, false],
    [`"team" < 'b' and "team" <= 'a'`, true],
  ])('%s evaluates to %s against the tags', (text, want) => {
    const r = parseIfTags(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(evaluateIfTags(r.value, TAGS)).toBe(want);
  });

  it.each([
    [`"status" = final`, 11],
    [`status = final`, 9],
    [`"status" == 'final'`, 10],
    [`"status" = 'final' AND`, 22],
    [`("status" = 'final'`, 19],
    [`"status" = 'final`, 11],
    [``, 0],
  ])('bad syntax %j is an issue at position %i, not a throw', (text, position) => {
    const r = parseIfTags(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue.position).toBe(position);
  });

  it('lists the failing comparisons for an explanation', () => {
    const r = parseIfTags(`"status" = 'draft' AND "team" = 'a'`);
    expect(r.ok && failingComparisons(r.value, TAGS)).toEqual([`"status" = 'draft' (tag is 'final')`]);
  });

  const key = fc.stringMatching(/^[A-Za-z0-9 +\-./:=_]{1,12}$/);
  const value = fc.stringMatching(/^[A-Za-z0-9 +\-./:=_]{0,12}$/);
  const op = fc.constantFrom('=', '<>', '>', '>=', '<', '<=' as const);
  const expr: fc.Arbitrary<TagExpr> = fc.letrec<{ e: TagExpr }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ type: fc.constant('cmp' as const), key, op, value }) as fc.Arbitrary<TagExpr>,
      fc.record({
        type: fc.constantFrom('and' as const, 'or' as const),
        left: tie('e'),
        right: tie('e'),
      }) as fc.Arbitrary<TagExpr>,
    ),
  })).e;

  it('property: parse(print(e)) gives back e', () => {
    fc.assert(
      fc.property(expr, (e) => {
        expect(parseIfTags(printIfTags(e))).toEqual({ ok: true, value: e });
      }),
    );
  });

  it('property: AND is true only when both sides are, OR when either is', () => {
    fc.assert(
      fc.property(expr, expr, fc.dictionary(key, value), (a, b, tags) => {
        expect(evaluateIfTags({ type: 'and', left: a, right: b }, tags)).toBe(
          evaluateIfTags(a, tags) && evaluateIfTags(b, tags),
        );
        expect(evaluateIfTags({ type: 'or', left: a, right: b }, tags)).toBe(
          evaluateIfTags(a, tags) || evaluateIfTags(b, tags),
        );
      }),
    );
  });
});
