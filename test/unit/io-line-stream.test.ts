import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { indexedScan } from '../../src/io/indexed-scan.js';
import { readLines, type Line } from '../../src/io/line-stream.js';
import { scanForNeedles } from '../helpers/reference-scanner.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function temp(content: string | Buffer): string {
  const file = join(dir, `f${n++}.log`);
  writeFileSync(file, content);
  return file;
}

async function all(file: string, chunkSize?: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const l of readLines(file, { chunkSize })) if ('line' in l) out.push(l);
  return out;
}

/** What a reader should yield: split on LF, drop one CR before it, no phantom line after a final LF. */
function expectedLines(text: string): Line[] {
  const parts = text.split('\n');
  if (parts.at(-1) === '') parts.pop();
  return parts.map((p, i) => ({ line: p.endsWith('\r') ? p.slice(0, -1) : p, lineNo: i + 1 }));
}

describe('readLines', () => {
  it.each([
    ['LF', 'a\nbb\nccc\n', ['a', 'bb', 'ccc']],
    ['CRLF', 'a\r\nbb\r\nccc\r\n', ['a', 'bb', 'ccc']],
    ['no newline at the end', 'a\nbb\nccc', ['a', 'bb', 'ccc']],
    ['blank lines kept', 'a\n\n\nb\n', ['a', '', '', 'b']],
    ['a BOM on line 1 dropped', '\uFEFFa\nb', ['a', 'b']],
    ['empty file', '', []],
  ])('%s', async (_name, text, lines) => {
    for (const chunkSize of [1, 2, 5, 1 << 20]) {
      expect((await all(temp(text), chunkSize)).map((l) => l.line)).toEqual(lines);
    }
  });

  it('multi-byte characters split across reads decode intact; a line longer than a chunk is whole', async () => {
    const text = `é€😀${'x'.repeat(100)}\nñ😀\n`;
    expect(await all(temp(text), 3)).toEqual([
      { line: `é€😀${'x'.repeat(100)}`, lineNo: 1 },
      { line: 'ñ😀', lineNo: 2 },
    ]);
  });

  it('any text and any chunk size give the same lines as splitting it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('a', 'é', '😀', '\n', '\r\n', '\r', ' ')).map((a) => a.join('')),
        fc.integer({ min: 1, max: 9 }),
        async (text, chunkSize) => {
          expect(await all(temp(text), chunkSize)).toEqual(expectedLines(text));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a missing file rejects (callers turn it into an issue)', async () => {
    await expect(all(join(dir, 'missing.log'))).rejects.toThrow(/ENOENT/);
  });
});

describe('scanForNeedles', () => {
  const id = '470b9e55-201e-0137-5c45-cdd293000000';
  const text = `first line\r\nsecond ${id} here\r\nthird\r\nfourth also ${id}`;

  it('finds a needle that spans a read boundary, on CRLF lines, on a last line without newline', async () => {
    const file = temp(text);
    for (const chunkSize of [1, 4, 7, 16, 25, 1 << 20]) {
      expect(await scanForNeedles(file, [id], { chunkSize })).toEqual([
        { line: `second ${id} here`, lineNo: 2 },
        { line: `fourth also ${id}`, lineNo: 4 },
      ]);
    }
  });

  it('a line matching several needles is returned once, in file order', async () => {
    const file = temp('a x y\nb\nc y\nd x\n');
    expect(await scanForNeedles(file, ['y', 'x', 'x'], { chunkSize: 3 })).toEqual([
      { line: 'a x y', lineNo: 1 },
      { line: 'c y', lineNo: 3 },
      { line: 'd x', lineNo: 4 },
    ]);
  });

  it('a match inside a line longer than the chunk keeps the whole line', async () => {
    const long = `${'a'.repeat(50)}NEEDLE${'b'.repeat(50)}`;
    expect(await scanForNeedles(temp(`x\n${long}\ny\n`), ['NEEDLE'], { chunkSize: 8 })).toEqual([
      { line: long, lineNo: 2 },
    ]);
  });

  it('needles are bytes: UTF-8 needles match; empty needles and needles with a line break match nothing', async () => {
    const file = temp('café\nnaïve\n');
    expect(await scanForNeedles(file, ['ï'], { chunkSize: 2 })).toEqual([{ line: 'naïve', lineNo: 2 }]);
    expect(await scanForNeedles(file, ['', 'café\nnaïve'])).toEqual([]);
  });

  it('a needle ending in a run of one byte (ids ending in 000000) is searched without the run and matches only whole', async () => {
    const needle = 'ab-cd-ef-000000';
    const piece = fc.constantFrom('ab-cd-ef-', '0', '000', 'ab-cd-ef-00000', 'ab-cd-ef-0000000', 'x', '\n', '\r\n');
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 30 }).map((a) => a.join('')),
        fc.integer({ min: 1, max: 40 }),
        async (text, chunkSize) => {
          const expected = expectedLines(text).filter((l) => l.line.includes(needle));
          expect(await scanForNeedles(temp(text), [needle, 'zz'], { chunkSize })).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('for any lines, needles and chunk size it returns exactly the lines that contain a needle', async () => {
    const word = fc.array(fc.constantFrom('a', 'b', 'é', '-'), { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
    const lineArb = fc.array(fc.constantFrom('a', 'b', 'é', '-', ' '), { maxLength: 12 }).map((a) => a.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { maxLength: 12 }),
        fc.array(word, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 9 }),
        async (lines, needles, crlf, trailing, chunkSize) => {
          const text = lines.join(crlf ? '\r\n' : '\n') + (trailing && lines.length > 0 ? '\n' : '');
          const expected = expectedLines(text).filter((l) => needles.some((nd) => l.line.includes(nd)));
          expect(await scanForNeedles(temp(text), needles, { chunkSize })).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('lines past the length limit are passed over, never held', () => {
  /** Reference: split on LF; a line longer than `max` bytes (CR excluded) is reported by its number only. */
  function expectedWithLimit(text: string, max: number): Array<{ lineNo: number; line?: string }> {
    return expectedLines(text).map(({ line, lineNo }) =>
      Buffer.byteLength(line) + (text.split('\n')[lineNo - 1]?.endsWith('\r') ? 1 : 0) > max
        ? { lineNo }
        : { line, lineNo },
    );
  }

  it('readLines: any text, chunk size and limit → the short lines as a split gives them, each long one by number', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('a', 'bb', 'é', '\n', '\n', '\r\n', 'xxxxxxxxxx')).map((a) => a.join('')),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 12 }),
        async (text, chunkSize, max) => {
          const got: Array<{ lineNo: number; line?: string }> = [];
          for await (const l of readLines(temp(text), { chunkSize, maxLineBytes: max })) {
            got.push('line' in l ? { line: l.line, lineNo: l.lineNo } : { lineNo: l.lineNo });
          }
          expect(got).toEqual(expectedWithLimit(text, max));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('indexedScan: the needle lines it finds and the long lines it skips agree with the reference scanner', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(fc.constantFrom('a', 'ID', 'zz', '\n', '\n', 'ID-long-xxxxxxxxxxxxxxxx', 'yyyyyyyyyyyyyyyyy'))
          .map((a) => a.join('')),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 4, max: 20 }),
        async (text, chunkSize, max) => {
          const file = temp(text);
          const scan = await indexedScan(file, ['ID'], { chunkSize, maxLineBytes: max });
          const lines = expectedLines(text);
          const raw = (lineNo: number) => Buffer.byteLength(text.split('\n')[lineNo - 1] ?? '');
          const long = lines.filter((l) => raw(l.lineNo) > max).map((l) => l.lineNo);
          const found = lines.filter((l) => l.line.includes('ID') && raw(l.lineNo) <= max);
          expect(scan.longLines).toEqual(long);
          expect(scan.lines).toEqual(found);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a 64 MB run of NUL bytes between two lines is one skipped line; the lines around it are found', async () => {
    const file = join(dir, 'holey.log');
    writeFileSync(file, 'before ID\n');
    // A sparse hole: what a log copied from a crashed disk looks like.
    const { truncateSync, appendFileSync, statSync } = await import('node:fs');
    truncateSync(file, statSync(file).size + 64 * 2 ** 20);
    appendFileSync(file, '\nafter ID\n');
    const scan = await indexedScan(file, ['ID'], { maxLineBytes: 2 ** 20 });
    expect(scan.lines.map((l) => [l.lineNo, l.line])).toEqual([
      [1, 'before ID'],
      [3, 'after ID'],
    ]);
    expect(scan.longLines).toEqual([2]);
  });
});
