import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeTokens, percentile } from '../../src/core/token-verdict.js';

describe('judgeTokens: what the final array says about a concurrent-writes run', () => {
  it.each([
    [
      'every token, each writer in order, interleaved',
      [
        ['a1', 'a2'],
        ['b1', 'b2'],
      ],
      [],
      ['a1', 'b1', 'b2', 'a2'],
      [0, 0, 0],
    ],
    ['a token missing is a lost update', [['a1', 'a2'], ['b1']], [], ['a1', 'b1'], [1, 0, 0]],
    ['a missing token whose write threw is not lost', [['a1', 'a2']], ['a2'], ['a1'], [0, 0, 0]],
    [
      "a writer's later token before its earlier one is reordered",
      [['a1', 'a2', 'a3']],
      [],
      ['a2', 'a1', 'a3'],
      [0, 1, 0],
    ],
    ['a token twice is a duplicate, judged at its first place', [['a1', 'a2']], [], ['a1', 'a2', 'a1'], [0, 0, 1]],
  ])('%s', (_name, issued, failed, final, [lost, reordered, duplicated]) => {
    expect(judgeTokens(issued, new Set(failed), final)).toEqual({ lostUpdates: lost, reordered, duplicated });
  });

  it('any interleaving that keeps each writer order: nothing lost, reordered or duplicated (property)', () => {
    const writers = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(writers, fc.array(fc.nat()), (sizes, picks) => {
        const issued = sizes.map((n, w) => Array.from({ length: n }, (_, i) => `w${w}-${i}`));
        const next = sizes.map(() => 0);
        const final: string[] = [];
        const remaining = () => issued.some((t, w) => next[w]! < t.length);
        for (let k = 0; remaining(); k++) {
          const open = issued.map((_, w) => w).filter((w) => next[w]! < issued[w]!.length);
          const w = open[(picks[k] ?? k) % open.length]!;
          final.push(issued[w]![next[w]!++]!);
        }
        expect(judgeTokens(issued, new Set(), final)).toEqual({ lostUpdates: 0, reordered: 0, duplicated: 0 });
      }),
    );
  });
});

describe('percentile (nearest rank)', () => {
  it.each([
    [[], 50, 0],
    [[7], 99, 7],
    [[5, 1, 3, 2, 4], 50, 3],
    [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
    [Array.from({ length: 100 }, (_, i) => i + 1), 100, 100],
  ])('%j p%i → %i', (samples, p, expected) => {
    expect(percentile(samples, p)).toBe(expected);
  });
});
