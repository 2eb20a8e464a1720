/**
 * Whether a `$logs` line's conditions-used field names a condition, read from its bytes by the stats fast path
 * (loggedCondition), must be what the full parse says (parseConditionsUsed of the decoded field), for any field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loggedCondition } from '../../src/parse/analytics-fast.js';
import { parseConditionsUsed } from '../../src/parse/log-entry.js';
import { decodeAnalyticsField } from '../../src/parse/storage-analytics-log.js';

const piece = fc.constantFrom(
  'If-Match',
  'if-none-match',
  'IF-MODIFIED-SINCE',
  'If-Unmodified-Since',
  'If-Matchx',
  'If\rMatch',
  'If-Tags',
  'constructor',
  '=',
  ';',
  ' ',
  '\t',
  '\r',
  '\n',
  '\v',
  '\u00a0',
  '\u2028',
  '"',
  '&amp;',
  '&#59;',
  'Tuesday, 24-Nov-26 18:00:00 GMT',
  '*',
  'é',
  'x',
);

describe('loggedCondition', () => {
  it('says what parseConditionsUsed says of the decoded field, for any field', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.nat(8), (pieces, pad) => {
        const text = pieces.join('');
        // The field sits inside a line, with other bytes around it.
        const buf = Buffer.concat([Buffer.alloc(pad, 0x3b), Buffer.from(text, 'utf8'), Buffer.from(';x;')]);
        const end = pad + Buffer.byteLength(text);
        expect(loggedCondition(buf, pad, end)).toBe(parseConditionsUsed(decodeAnalyticsField(text)) !== undefined);
      }),
      { numRuns: 5000 },
    );
  });

  it('parseConditionsUsed reads each `;`-separated part as name=value, as splitting the text would', () => {
    // The definition: split on `;`, each part's name before its first `=` (trimmed, any case), the last one wins.
    const bySplit = (text: string) => {
      const names: Record<string, string> = {
        'if-match': 'ifMatch',
        'if-none-match': 'ifNoneMatch',
        'if-modified-since': 'ifModifiedSince',
        'if-unmodified-since': 'ifUnmodifiedSince',
      };
      const used: Record<string, string> = {};
      for (const part of text.split(';')) {
        const eq = part.indexOf('=');
        const name = eq > 0 ? part.slice(0, eq).trim().toLowerCase() : '';
        if (Object.hasOwn(names, name)) used[names[name]!] = part.slice(eq + 1).trim();
      }
      return Object.keys(used).length > 0 ? used : undefined;
    };
    // Parts shaped like conditions (a name, an `=` or not, a value), now and then noise: names repeat, values differ.
    const part = fc.oneof(
      fc
        .tuple(
          fc.constantFrom('If-Match', ' if-none-match ', 'IF-MODIFIED-SINCE', 'If-Unmodified-Since', 'If-Tags', ''),
          fc.constantFrom('=', ' = ', '', '=='),
          fc.constantFrom('*', 'Tuesday, 24-Nov-26 18:00:00 GMT', ' x ', '', 'a=b'),
        )
        .map((p) => p.join('')),
      fc.array(piece, { maxLength: 4 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        const text = parts.join(';');
        expect(parseConditionsUsed(text)).toEqual(bySplit(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('parseConditionsUsed reads a field of millions of `;` in one pass, warm or not', () => {
    // Looking for the next `=` past each part made this quadratic: minutes for one such line. Timed cold and after
    // the optimizing compiler has seen the usual one-part fields.
    const timed = (text: string) => {
      const started = performance.now();
      const used = parseConditionsUsed(text);
      return { used, ms: performance.now() - started };
    };
    for (const text of [`${';'.repeat(2_000_000)}If-Match=*`, ';'.repeat(2_000_000)]) {
      const cold = timed(text);
      for (let i = 0; i < 20_000; i++) parseConditionsUsed('If-Match=Tuesday, 24-Nov-26 18:00:00 GMT');
      const warm = timed(text);
      expect(cold.used).toEqual(text.endsWith('*') ? { ifMatch: '*' } : undefined);
      expect(warm.used).toEqual(cold.used);
      expect(cold.ms).toBeLessThan(2000);
      expect(warm.ms).toBeLessThan(2000);
    }
  });

  it('reads the fields $logs writes', () => {
    const at = (text: string) => loggedCondition(Buffer.from(text), 0, Buffer.byteLength(text));
    expect(at('"If-Match=Tuesday, 24-Nov-26 18:00:00 GMT"')).toBe(true);
    expect(at('"If-None-Match=*;If-Modified-Since=Tuesday, 24-Nov-26 18:00:00 GMT"')).toBe(true);
    expect(at('')).toBe(false);
    expect(at('"x-ms-if-tags=a"')).toBe(false);
    expect(at('"=If-Match"')).toBe(false);
  });
});
