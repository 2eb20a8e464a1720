/**
 * The earliest needle occurrence at or after a position of one window, for a few needles, linear in the
 * window: each needle's next occurrence is remembered and searched again only once the scan has passed it.
 * Re-searching every needle from the current position after each hit costs a full search per hit of the
 * others, which is quadratic once one needle hits often (an object key on a busy blob).
 */
export class NeedleHits {
  private readonly needles: Buffer[] = [];
  private readonly probes: Buffer[] = [];
  /** Per needle: its next occurrence, -1 when there is none left, -2 when not searched yet. */
  private readonly next: number[] = [];

  constructor(
    private readonly window: Buffer,
    needles: readonly Buffer[] = [],
  ) {
    for (const n of needles) this.add(n);
  }

  /** Adds a needle; it is searched from the position of the next `from` call on. */
  add(needle: Buffer): void {
    this.needles.push(needle);
    this.probes.push(probeOf(needle));
    this.next.push(-2);
  }

  /** Next whole occurrence of needle `k` at or after `pos`: its probe, then the rest checked in place. */
  private find(k: number, pos: number): number {
    const needle = this.needles[k]!;
    const probe = this.probes[k]!;
    if (probe === needle) return this.window.indexOf(needle, pos);
    for (let at = this.window.indexOf(probe, pos); at !== -1; at = this.window.indexOf(probe, at + 1)) {
      if (at + needle.length > this.window.length) return -1;
      if (needle.compare(this.window, at + probe.length, at + needle.length, probe.length) === 0) return at;
    }
    return -1;
  }

  /** Earliest occurrence of any needle at or after `pos`, or -1. `pos` never decreases between calls. */
  from(pos: number): number {
    let best = -1;
    for (let k = 0; k < this.needles.length; k++) {
      let at = this.next[k]!;
      if (at !== -1 && at < pos) this.next[k] = at = this.find(k, pos);
      if (at !== -1 && (best === -1 || at < best)) best = at;
    }
    return best;
  }
}

/**
 * What Buffer.indexOf searches for a needle: the needle without a run of one byte at its end, when at least
 * 8 bytes remain. Boyer-Moore-Horspool skips by the needle's last byte; Azure request ids end in a run of
 * zeros that every other id in the log shares (`…-cdd293000000`), so the whole id skips little and matches
 * long suffixes in vain. Without the run the search is about a quarter faster; the run is checked in place.
 */
function probeOf(needle: Buffer): Buffer {
  let end = needle.length;
  const last = needle[end - 1];
  while (end > 0 && needle[end - 1] === last) end--;
  if (end === needle.length - 1 || end < 8) return needle;
  return needle.subarray(0, end);
}

/** Needles as bytes, once each; empty ones and ones with a line break (never within one line) dropped. */
export function needleBytes(needles: readonly string[]): Buffer[] {
  return [...new Set(needles)].filter((n) => n !== '' && !/[\r\n]/.test(n)).map((n) => Buffer.from(n, 'utf8'));
}
