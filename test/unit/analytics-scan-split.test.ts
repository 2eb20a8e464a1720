/**
 * The WebAssembly scanner's field split (src/parse/wasm/analytics-scan.as.ts `split`) against its contract, read a
 * byte at a time here: a `;` outside quotes ends a field; a `"` opens a quoted value whose first `"` closes it and
 * must end the field (else -1); an `&` outside quotes is -1 (the careful split in JavaScript decides); more fields
 * than 38 and a little is 0. The scanner reads sixteen bytes at a time and skips what it need not visit, so lines
 * of every length and alignment, quotes and `&` in every position, are compared to this.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsScanner } from '../../src/parse/analytics-scanner.js';

const MAX_FIELDS = 39;

/** The field count and starts (then the end + 1) the contract gives, or [0] / [-1]. */
function reference(bytes: Buffer): number[] {
  const starts = [0];
  let quoted = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (quoted) {
      if (c !== 0x22) continue;
      quoted = false;
      if (i + 1 !== bytes.length && bytes[i + 1] !== 0x3b) return [-1];
    } else if (c === 0x3b) {
      if (starts.length >= MAX_FIELDS) return [0];
      starts.push(i + 1);
    } else if (c === 0x22) quoted = true;
    else if (c === 0x26) return [-1];
  }
  if (quoted) return [-1];
  return [starts.length, ...starts, bytes.length + 1];
}

/** What the scanner wrote for one line placed `offset` bytes into its window, the rest of the window noise. */
function scanned(scanner: AnalyticsScanner, bytes: Buffer, offset: number, noise: number): number[] {
  const { exports, linesAt } = scanner;
  const spansAt = (linesAt + offset + bytes.length + 64 + 7) & ~7;
  const outAt = spansAt + 8;
  scanner.reserve(outAt + 52 * 4);
  const mem = new Uint8Array(scanner.memory.buffer);
  // Bytes past the line's end are read by a sixteen-byte load and must be masked off: make them count if not.
  mem.fill(noise, linesAt, linesAt + offset + bytes.length + 64);
  mem.set(bytes, linesAt + offset);
  const i32 = new Int32Array(scanner.memory.buffer);
  i32[spansAt >> 2] = offset;
  i32[(spansAt >> 2) + 1] = offset + bytes.length;
  exports.scan(spansAt, 1, outAt);
  const n = i32[outAt >> 2]!;
  if (n <= 0) return [n];
  return [n, ...Array.from(i32.subarray((outAt >> 2) + 1, (outAt >> 2) + n + 2), (s) => s - offset)];
}

const byte = fc.oneof(
  { arbitrary: fc.constantFrom(0x3b), weight: 6 },
  { arbitrary: fc.constantFrom(0x22), weight: 2 },
  { arbitrary: fc.constantFrom(0x26), weight: 1 },
  { arbitrary: fc.constantFrom(0x61, 0x30, 0x20, 0xc3, 0xa9), weight: 20 },
);

describe('the WebAssembly split of a $logs line', () => {
  const scanner = new AnalyticsScanner();

  it('gives the field starts a byte-at-a-time reading gives, at any length and alignment', () => {
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 200 }),
        fc.nat(31),
        fc.constantFrom(0x3b, 0x22, 0x26, 0x61),
        (codes, offset, noise) => {
          const bytes = Buffer.from(codes);
          expect(scanned(scanner, bytes, offset, noise)).toEqual(reference(bytes));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('reads quoted values that span blocks, close at a block edge, or hold every special byte', () => {
    const cases = [
      `a;"${'x'.repeat(14)}";b`,
      `a;"${'x'.repeat(15)}";b`,
      `a;"${';&'.repeat(20)}";b`,
      `${'a;'.repeat(7)}"q"`,
      `"${'x'.repeat(30)}"`,
      `a;"x"y;b`,
      `a;"x""y";b`,
      `a;"open`,
      `${'a;'.repeat(40)}`,
      `${'a;'.repeat(37)}a`,
    ];
    for (const text of cases)
      for (let offset = 0; offset < 16; offset++) {
        const bytes = Buffer.from(text, 'latin1');
        expect(scanned(scanner, bytes, offset, 0x3b), `${text} at ${offset}`).toEqual(reference(bytes));
      }
  });
});
