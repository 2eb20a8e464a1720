import { describe, expect, it } from 'vitest';
import { oneLine, printable } from '../../src/core/one-line.js';
import { mdEscape, mdFence, mdSpan } from '../../src/render/style.js';

describe('text from input, shown not obeyed', () => {
  it('oneLine escapes line breaks, C0/C1 controls, DEL and bidi overrides; leaves tabs and other text', () => {
    expect(oneLine('a\nb\rc\u0000d\u001be\u007ff\u0085g\u202eh\u2066i\tj é ✓')).toBe(
      'a\\nb\\rc\\x00d\\x1be\\x7ff\\x85g\\u202eh\\u2066i\tj é ✓',
    );
  });

  it('printable walks plain objects and arrays, keeps line breaks, tabs, numbers, own __proto__ keys and other objects', () => {
    const when = new Date(0);
    const report = JSON.parse(
      '{"a":"x\\u001b[2Jy","list":["\\u202e",1,null,true],"__proto__":"p\\u0007","n":{"t":"l1\\nl2\\tz"}}',
    );
    const shown = printable({ ...report, when });
    expect(Object.keys(shown)).toEqual(['a', 'list', '__proto__', 'n', 'when']);
    expect([shown.a, shown.list, shown.n]).toEqual(['x\\x1b[2Jy', ['\\u202e', 1, null, true], { t: 'l1\nl2\tz' }]);
    expect(Object.getOwnPropertyDescriptor(shown, '__proto__')?.value).toBe('p\\x07');
    expect(shown.when).toBe(when);
    expect(report.a).toBe('x\u001b[2Jy');
  });
});

describe('markdown that holds log fields as text', () => {
  it('mdSpan fences past the longest backtick run, pads a span that starts or ends with one, escapes | in a table cell and flattens lines', () => {
    expect(mdSpan('0x1')).toBe('`0x1`');
    expect(mdSpan('a`b')).toBe('``a`b``');
    expect(mdSpan('x``<img>`')).toBe('``` x``<img>` ```');
    expect(mdSpan('a|b\nc')).toBe('`a|b c`');
    expect(mdSpan('a|b', true)).toBe('`a\\|b`');
  });
  it('mdFence fences past any backtick run in the text, at least three', () => {
    expect(mdFence('sh', 'ls')).toEqual(['```sh', 'ls', '```']);
    expect(mdFence('sh', 'a\n```\nb')).toEqual(['````sh', 'a', '```', 'b', '````']);
  });
  it('mdEscape backslash-escapes markdown punctuation and | outside code', () => {
    expect(mdEscape('![x](u) <b> *a*_b_ `c` ~d~ a|b \\')).toBe(
      '!\\[x\\](u) \\<b\\> \\*a\\*\\_b\\_ \\`c\\` \\~d\\~ a\\|b \\\\',
    );
  });

  it('mdEscape keeps an entity in a log field as its text: amp&lt;b&gt;.json is not shown as amp<b>.json', () => {
    expect(mdEscape('amp&lt;b&gt;.json')).toBe('amp\\&lt;b\\&gt;.json');
  });
});
