/**
 * The earliest needle occurrence at or after a position of one window, for a few needles, linear in the
 * window: each needle's next occurrence is remembered and searched again only once the scan has passed it.
 * Re-searching every needle from the current position after each hit costs a full search per hit of the
 * others, which is quadratic once one needle hits often (an object key on a busy blob).
 */
export class NeedleHits {
  private readonly needles: Buffer[] = [];
  /** Per needle: its next occurrence, -1 when there is none left, -2 when not searched yet. */
  private readonly next: number[] = [];

  constructor(private readonly window: Buffer, needles: readonly Buffer[] = []) {
    for (const n of needles) this.add(n);
  }

  /** Adds a needle; it is searched from the position of the next `from` call on. */
  add(needle: Buffer): void {
    this.needles.push(needle);
    this.next.push(-2);
  }

  /** Earliest occurrence of any needle at or after `pos`, or -1. `pos` never decreases between calls. */
  from(pos: number): number {
    let best = -1;
    for (let k = 0; k < this.needles.length; k++) {
      let at = this.next[k]!;
      if (at !== -1 && at < pos) this.next[k] = at = this.window.indexOf(this.needles[k]!, pos);
      if (at !== -1 && (best === -1 || at < best)) best = at;
    }
    return best;
  }
}

/** Needles as bytes, once each; empty ones and ones with a line break (never within one line) dropped. */
export function needleBytes(needles: readonly string[]): Buffer[] {
  return [...new Set(needles)].filter((n) => n !== '' && !/[\r\n]/.test(n)).map((n) => Buffer.from(n, 'utf8'));
}
