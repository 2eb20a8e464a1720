/**
 * The verdict on a concurrent-writes run: every writer added its tokens, in its own order, to one JSON array.
 * What the array holds at the end says whether the write path kept every update and each writer's order.
 */

export interface TokenVerdict {
  /** Tokens whose write reported success but that are not in the array. */
  lostUpdates: number;
  /** Tokens that appear before a token their writer added earlier. */
  reordered: number;
  /** Extra copies: a token present more than once (a retry after a lost response that added it again). */
  duplicated: number;
}

/**
 * @param issued - each writer's tokens, in the order it wrote them
 * @param failed - tokens whose write threw (the writer knows they may be missing: not counted as lost)
 * @param final - the array read back at the end
 */
export function judgeTokens(
  issued: readonly string[][],
  failed: ReadonlySet<string>,
  final: readonly string[],
): TokenVerdict {
  const first = new Map<string, number>();
  let duplicated = 0;
  final.forEach((token, i) => {
    if (first.has(token)) duplicated++;
    else first.set(token, i);
  });
  let lostUpdates = 0;
  let reordered = 0;
  for (const tokens of issued) {
    let last = -1;
    for (const token of tokens) {
      const at = first.get(token);
      if (at === undefined) {
        if (!failed.has(token)) lostUpdates++;
        continue;
      }
      if (at < last) reordered++;
      else last = at;
    }
  }
  return { lostUpdates, reordered, duplicated };
}

/** Nearest-rank percentile (p in 0–100) of unsorted samples; 0 when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}
