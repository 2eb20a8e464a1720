/**
 * The busiest keys of a stream in bounded memory: the Misra-Gries frequent-items summary (Misra & Gries,
 * "Finding repeated elements", 1982; the batch-decrement form of Cormode & Hadjieleftheriou, "Finding frequent
 * items in data streams", VLDB 2008). At most `2 × capacity` keys are held; a key's count is a lower bound that
 * misses at most n / capacity of its true count, and every key seen more than n / capacity times is kept. Pure.
 */
export class HeavyHitters<V> {
  private readonly counts = new Map<string, { count: number; value: V }>();
  private decremented = 0;

  constructor(
    private readonly capacity: number,
    private readonly init: () => V,
  ) {}

  /** Counts `n` occurrences of `key`; returns its slot (to add per-key detail) or undefined when it was not kept. */
  add(key: string, n = 1): { count: number; value: V } | undefined {
    const slot = this.counts.get(key);
    if (slot) {
      slot.count += n;
      return slot;
    }
    const fresh = { count: n, value: this.init() };
    this.counts.set(key, fresh);
    if (this.counts.size > 2 * this.capacity) this.shrink();
    return this.counts.get(key);
  }

  /** Batch decrement by the median count: amortised O(1) per add, and the map back to at most `capacity` keys. */
  private shrink(): void {
    const sorted = [...this.counts.values()].map((s) => s.count).sort((a, b) => a - b);
    const cut = sorted[sorted.length - this.capacity - 1]!;
    this.decremented += cut;
    for (const [k, s] of this.counts) {
      s.count -= cut;
      if (s.count <= 0) this.counts.delete(k);
    }
  }

  get(key: string): { count: number; value: V } | undefined {
    return this.counts.get(key);
  }

  /** The largest amount any kept count may be short of the truth. */
  get maxError(): number {
    return this.decremented;
  }

  /** Kept keys, busiest first. */
  top(n: number): Array<{ key: string; count: number; value: V }> {
    return [...this.counts]
      .map(([key, s]) => ({ key, count: s.count, value: s.value }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
      .slice(0, n);
  }
}
