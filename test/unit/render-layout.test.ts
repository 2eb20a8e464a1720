import { Chalk } from 'chalk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitGrid, fitTable, shortenAtWord, visibleLength, wrapProse } from '../../src/render/layout.js';

const plain = (width?: number) => ({ chalk: new Chalk({ level: 0 }), width });
const ETAG = '"0x8DECE5F6A1B2C30"';
const REQUEST_ID = '470b9e55-201e-0137-5c45-cdd293000000';
const URL_TOKEN = 'https://acct.blob.core.windows.net/c/b.json';

/** The words of a cell, as read across the table's lines (box characters and padding removed). */
function wordsOf(table: string): string[] {
  return table
    .split('\n')
    .flatMap((l) => l.split(/[│┌┐└┘├┤┬┴┼─\s]+/))
    .filter(Boolean);
}

describe('tables fit the terminal and wrap at word boundaries only', () => {
  const rows = [
    [
      'if-match',
      ETAG,
      '"0x8DECE5F6A1B2C31"',
      'FAILS',
      `${ETAG} ≠ current ETag: the blob changed after this ETag was read`,
    ],
    ['x-ms-lease-id', REQUEST_ID, '—', 'FAILS', `the lease on ${URL_TOKEN} is not the one the request carried`],
  ];
  const columns = [
    { head: 'condition' },
    { head: 'supplied', dropRank: 2 },
    { head: 'current', dropRank: 1 },
    { head: '' },
    { head: 'why' },
  ];

  it.each([80, 100, 120, 160])('at %i columns every line fits and no word is cut', (width) => {
    const out = fitTable({ columns, rows, style: plain(width) });
    for (const line of out.split('\n')) expect(visibleLength(line)).toBeLessThanOrEqual(width);
    const words = wordsOf(out);
    for (const token of [ETAG, URL_TOKEN, 'changed', 'the']) expect(words).toContain(token);
    if (!/hidden at this width: supplied, current\)/.test(out)) expect(words).toContain(REQUEST_ID);
    expect(out).not.toContain('…');
  });

  it('a narrow terminal drops the value columns (least useful first) and says so, rather than wrapping every column', () => {
    const out = fitTable({ columns, rows, style: plain(120) });
    expect(out.split('\n')[1]).not.toMatch(/current/);
    expect(out.split('\n')[1]).toMatch(/supplied/);
    expect(out).toMatch(/\(hidden at this width: current\)/);
    const narrow = fitTable({ columns, rows, style: plain(100) });
    expect(narrow.split('\n')[1]).not.toMatch(/supplied/);
    expect(narrow).toMatch(/\(hidden at this width: supplied, current\)/);
  });

  it('a wide terminal shows every column, each as wide as its text needs', () => {
    const out = fitTable({ columns, rows, style: plain(400) });
    expect(out).not.toMatch(/hidden at this width/);
    expect(out.split('\n').length).toBe(7);
  });

  it('without a width (a pipe) the tables take 120 columns', () => {
    const out = fitTable({ columns, rows, style: plain(undefined) });
    expect(Math.max(...out.split('\n').map(visibleLength))).toBeLessThanOrEqual(120);
  });

  it('property: whatever the words and the width, no word is split and lines fit when the words do', () => {
    const word = fc.stringMatching(/^[a-zA-Z0-9"._:/-]{1,24}$/);
    const cell = fc.array(word, { minLength: 1, maxLength: 12 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 40, max: 200 }),
        (rs, width) => {
          const out = fitTable({
            columns: [{ head: 'a' }, { head: 'b', dropRank: 1 }, { head: 'c' }],
            rows: rs,
            style: plain(width),
          });
          const shownWords = new Set(wordsOf(out));
          const dropped = /hidden at this width/.test(out);
          for (const r of rs)
            for (const [i, c] of r.entries())
              if (!(dropped && i === 1)) for (const w of c.split(' ')) expect(shownWords).toContain(w);
          // Three columns of words up to 24 characters fit in 3 × (24 + 2) + 4 = 82 columns.
          if (width >= 82) for (const line of out.split('\n')) expect(visibleLength(line)).toBeLessThanOrEqual(width);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('grids (the ETag timeline) keep columns aligned whatever the cell lengths', () => {
  it('every row starts each column at the same place', () => {
    const rows = [
      ['●', '−120.1s', 'PutBlob', '201', ETAG, 'produced the ETag'],
      ['✖', '0ms', 'PutBlob', '412 ConditionNotMet', 'supplied "0x1"', 'this request'],
      ['•', '+777ms', 'SetBlobMetadata', '412 LeaseIdMismatchWithBlobOperation', '—', 'retry'],
    ];
    const lines = fitGrid({
      columns: ['', 'Δ', 'op', 'status', 'etag', 'role'].map((head) => ({ head })),
      rows,
      style: plain(160),
      indent: 2,
    });
    expect(lines).toHaveLength(3);
    const at = (line: string, text: string) => line.indexOf(text);
    expect(new Set([at(lines[0]!, ETAG), at(lines[1]!, 'supplied'), at(lines[2]!, '—')]).size).toBe(1);
    expect(new Set([at(lines[0]!, 'produced'), at(lines[1]!, 'this request'), at(lines[2]!, 'retry')]).size).toBe(1);
  });

  it('right-aligned columns line up on their last character', () => {
    const lines = fitGrid({
      columns: [{ head: 'Δ', align: 'right' }, { head: 'x' }],
      rows: [
        ['−120.1s', 'a'],
        ['0ms', 'b'],
      ],
      style: plain(80),
      indent: 0,
    });
    expect(lines[0]!.indexOf('−120.1s') + '−120.1s'.length).toBe(lines[1]!.indexOf('0ms') + 3);
  });
});

describe('user agents are shortened at a word boundary', () => {
  it.each([
    ['writer-A/1.0', 'writer-A/1.0'],
    [
      'azsdk-js-storage-blob/12.32.0 core-rest-pipeline/1.24.0 Node/20.19.0 OS/(x64-Linux-6.1.0)',
      'azsdk-js-storage-blob/12.32.0…',
    ],
    ['a-single-enormous-user-agent-token-without-any-space-at-all', 'a-single-enormous-user-agent-token-with…'],
  ])('%s → %s', (ua, short) => {
    expect(shortenAtWord(ua, 40)).toBe(short);
    expect(shortenAtWord(ua, 40).length).toBeLessThanOrEqual(40);
  });
});

describe('prose wraps at spaces to the width; tables, workflow commands and shell commands stay whole', () => {
  const long = 'word '.repeat(40).trim();
  it('a long line wraps at spaces, continuation lines hanging under a list number', () => {
    const out = wrapProse(`  3. ${long}`, 60).split('\n');
    expect(out.length).toBeGreaterThan(2);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(60);
    expect(out[1]).toMatch(/^ {5}word/);
    expect(out.join(' ').replace(/\s+/g, ' ').trim()).toBe(`3. ${long}`);
  });

  it.each([
    ['a table line', `│ ${long} │`],
    ['a GitHub annotation', `::error file=jobs.json,line=7::${long}`],
    ['a shell command', `$ cnm diagnose ${long}`],
  ])('%s is left whole', (_name, line) => {
    expect(wrapProse(line, 60)).toBe(line);
  });

  it('a word longer than the line stays whole on its own line', () => {
    const url = `https://acct.blob.core.windows.net/${'x'.repeat(80)}`;
    expect(wrapProse(`see ${url} now`, 60).split('\n')).toEqual(['see', url, 'now']);
  });
});
