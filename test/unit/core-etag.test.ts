import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  etagMatches,
  isWeakEtag,
  normalizeEtag,
  parseEtag,
  parseEtagList,
  quoteEtag,
  sameEtag,
} from '../../src/core/etag.js';

const opaque = fc.stringMatching(/^[0-9A-Za-z_\-.:]{1,24}$/);

describe('etag', () => {
  it.each([
    ['"0x8DC0A1B2C3D4E5F"', '0x8DC0A1B2C3D4E5F'],
    ['0x8DC0A1B2C3D4E5F', '0x8DC0A1B2C3D4E5F'],
    ['  "0x1"  ', '0x1'],
    ['W/"0x1"', 'W/0x1'],
    ['*', '*'],
  ])('normalizeEtag(%j) → %j (quotes stripped, W/ kept)', (raw, want) => {
    expect(normalizeEtag(raw)).toBe(want);
  });

  it.each([
    ['"0x1", "0x2"', ['0x1', '0x2']],
    ['0x1,0x2 , "0x3"', ['0x1', '0x2', '0x3']],
    ['"a,b", "c"', ['a,b', 'c']],
    ['*', ['*']],
    [' , "0x1",', ['0x1']],
  ])('parseEtagList(%j) splits on commas outside quotes → %j', (header, want) => {
    expect(parseEtagList(header).map((t) => t.value)).toEqual(want);
  });

  it.each([
    ['"0x1"', '"0x1"', true],
    ['0x1', '"0x1"', true],
    ['"0x1"', '"0x2"', false],
    ['*', '"0x2"', true],
    ['W/"0x1"', '"0x1"', null],
    ['W/"0x1"', '"0x2"', false],
  ])('etagMatches(%s, current %s) → %s (weak same-value is unconfirmed → null)', (supplied, current, want) => {
    expect(etagMatches(parseEtag(supplied), current)).toBe(want);
  });

  it('detects weak ETags and wildcards', () => {
    expect(isWeakEtag('W/"x"')).toBe(true);
    expect(isWeakEtag('"x"')).toBe(false);
    expect(parseEtag('*').wildcard).toBe(true);
    expect(parseEtag('"*"').wildcard).toBe(false);
  });

  it('property: normalising is idempotent and ignores quoting', () => {
    fc.assert(
      fc.property(opaque, fc.boolean(), (value, quoted) => {
        const raw = quoted ? `"${value}"` : value;
        expect(normalizeEtag(normalizeEtag(raw))).toBe(normalizeEtag(raw));
        expect(sameEtag(raw, `"${value}"`)).toBe(true);
        expect(quoteEtag(raw)).toBe(value === '*' && !quoted ? '*' : `"${value}"`);
      }),
    );
  });

  it('property: a printed list parses back to the same values', () => {
    fc.assert(
      fc.property(fc.array(opaque, { minLength: 1, maxLength: 6 }), fc.boolean(), (values, quoted) => {
        const header = values.map((v) => (quoted ? `"${v}"` : v)).join(', ');
        expect(parseEtagList(header).map((t) => t.value)).toEqual(values);
      }),
    );
  });

  it('property: a strong ETag matches itself and nothing else', () => {
    fc.assert(
      fc.property(opaque, opaque, (a, b) => {
        fc.pre(a !== '*' && b !== '*');
        expect(etagMatches(parseEtag(`"${a}"`), `"${b}"`)).toBe(a === b);
      }),
    );
  });
});
