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

  it('reads the fields $logs writes', () => {
    const at = (text: string) => loggedCondition(Buffer.from(text), 0, Buffer.byteLength(text));
    expect(at('"If-Match=Tuesday, 24-Nov-26 18:00:00 GMT"')).toBe(true);
    expect(at('"If-None-Match=*;If-Modified-Since=Tuesday, 24-Nov-26 18:00:00 GMT"')).toBe(true);
    expect(at('')).toBe(false);
    expect(at('"x-ms-if-tags=a"')).toBe(false);
    expect(at('"=If-Match"')).toBe(false);
  });
});
