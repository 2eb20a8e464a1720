/** streamLines: the lines of a download, whatever its chunks, as readLines gives them from a file. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BATCH_LINES, rawLineBatches, type RawLineBatch } from '../../src/io/line-stream.js';
import { streamLines } from '../../src/io/stream-lines.js';

async function collect(chunks: Buffer[], max?: number) {
  const out: string[] = [];
  for await (const b of streamLines(chunks, max))
    for (let i = 0; i < b.spans.length; i += 2)
      out.push(b.spans[i]! < 0 ? 'LONG' : b.window.toString('utf8', b.spans[i], b.spans[i + 1]));
  return out;
}

/** `text` cut at `cuts` (byte offsets), so lines and even UTF-8 characters straddle chunks. */
function cut(text: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length)).filter((b) => b.length);
}

describe('streamLines', () => {
  it('any chunking gives the same lines: LF or CRLF, a last line without newline, multi-byte characters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'é', ';', '€', ' ') }), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (lines, crlf, cuts) => {
          const text = lines.join(crlf ? '\r\n' : '\n');
          const expected = text === '' ? [] : text.split(crlf ? '\r\n' : '\n');
          if (expected.at(-1) === '') expected.pop();
          expect(await collect(cut(text, cuts))).toEqual(expected);
        },
      ),
    );
  });

  it('a line past the limit stands as one long line, and the lines after it are read', async () => {
    expect(await collect(cut(`ok\n${'x'.repeat(50)}\nafter\n`, [5, 20, 40]), 10)).toEqual(['ok', 'LONG', 'after']);
    expect(await collect([Buffer.from(`a\n${'y'.repeat(30)}`)], 10)).toEqual(['a', 'LONG']);
  });

  it('any chunking passes over the same lines past the limit, and reads every other one (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom('x', 'é'), maxLength: 30 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (lines, cuts) => {
          const text = `${lines.join('\n')}\n`;
          const expected = lines.map((l) => (Buffer.byteLength(l) > 10 ? 'LONG' : l));
          expect(await collect(cut(text, cuts), 10)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a line of megabytes in small chunks is joined once', async () => {
    // Joined again, and looked through from its start, at every chunk: 15 MB in 16 KiB chunks took 17 s.
    const long = 'y'.repeat(12 * 2 ** 20);
    const chunks = cut(
      `${long}\nafter\n`,
      Array.from({ length: 800 }, (_, i) => (i + 1) * 16_384),
    );
    const started = performance.now();
    const got = await collect(chunks);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(got.length).toBe(2);
    expect(got[0] === long).toBe(true);
    expect(got[1]).toBe('after');
  });

  it('a chunk of short lines comes in batches of at most BATCH_LINES, numbered on, from a file or a stream', async () => {
    const text = Array.from({ length: 3 * BATCH_LINES + 5 }, (_, i) => (i % 3 ? '' : `l${i}`)).join('\n') + '\n';
    const file = join(mkdtempSync(join(tmpdir(), 'cnm-batches-')), 'short.log');
    writeFileSync(file, text);
    for (const batches of [rawLineBatches(file), streamLines([Buffer.from(text)])]) {
      const seen: { lines: number; first: number; text: string[] }[] = [];
      for await (const b of batches as AsyncIterable<RawLineBatch>) {
        const lines = b.spans.length / 2;
        const texts = Array.from({ length: lines }, (_, i) =>
          b.window.toString('utf8', b.spans[2 * i], b.spans[2 * i + 1]),
        );
        seen.push({ lines, first: b.firstLineNo, text: texts });
      }
      expect(Math.max(...seen.map((s) => s.lines))).toBe(BATCH_LINES);
      expect(seen.filter((s) => s.lines).map((s) => s.first)).toEqual([
        1,
        1 + BATCH_LINES,
        1 + 2 * BATCH_LINES,
        1 + 3 * BATCH_LINES,
      ]);
      expect(seen.flatMap((s) => s.text)).toEqual(text.split('\n').slice(0, -1));
    }
  });
});
