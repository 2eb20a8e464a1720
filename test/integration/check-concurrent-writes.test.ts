/**
 * cnm/testing's checkConcurrentWrites, run as a user's test suite runs it: the example of docs/library.md (kept
 * identical to the region below by the last test), and the blind write it is there to catch. Each call starts
 * its own in-memory Azurite behind the fault proxy (lost responses after commit, 503s, delays).
 * The example's withBlobLease run shows lease waits and faults in test/integration/load.test.ts too (cnm load).
 */
import { readFileSync } from 'node:fs';
import type { BlockBlobClient } from '@azure/storage-blob';
import { describe, expect, it, test } from 'vitest';
import { readRefreshWrite, withBlobLease } from '../../src/lib/index.js';
import { checkConcurrentWrites } from '../../src/testing/index.js';

// docs:begin — the example of docs/library.md, as a user copies it
async function appendToken(blob: BlockBlobClient, token: string) {
  await readRefreshWrite(
    blob,
    (current) => {
      const items = JSON.parse(current ?? '[]') as string[];
      return items.includes(token) ? null : JSON.stringify([...items, token]); // a retried write may already be in
    },
    { maxAttempts: 100 },
  );
}

async function appendTokenUnderLease(blob: BlockBlobClient, token: string) {
  await withBlobLease(blob, async ({ conditions, signal }) => {
    const items = JSON.parse(
      (await blob.downloadToBuffer(0, undefined, { abortSignal: signal })).toString(),
    ) as string[];
    if (items.includes(token)) return;
    const text = JSON.stringify([...items, token]);
    await blob.upload(text, Buffer.byteLength(text), { conditions, abortSignal: signal });
  });
}

test.each([appendToken, appendTokenUnderLease])(
  '%o keeps every update and each writer order',
  async (write) => {
    const r = await checkConcurrentWrites({ write, writers: 8, iterations: 4 });
    expect(r).toMatchObject({ lostUpdates: 0, reordered: 0, duplicated: 0, failedWrites: 0 });
  },
  60_000,
);
// docs:end

async function blindAppend(blob: BlockBlobClient, token: string) {
  const items = JSON.parse((await blob.downloadToBuffer()).toString()) as string[];
  const text = JSON.stringify([...items, token]);
  await blob.upload(text, Buffer.byteLength(text));
}

const clean = { lostUpdates: 0, reordered: 0, duplicated: 0, failedWrites: 0 };

describe('checkConcurrentWrites', () => {
  it('a blind read-modify-write loses updates', async () => {
    const r = await checkConcurrentWrites({ write: blindAppend, writers: 8, iterations: 4, faults: false });
    expect(r.lostUpdates).toBeGreaterThan(0);
    expect(r.conditionFailures).toBe(0);
  });

  it('readRefreshWrite loses none, keeps each writer order, through lost responses, 503s and delays', async () => {
    const r = await checkConcurrentWrites({ write: appendToken, writers: 8, iterations: 4, seed: 7 });
    expect(r).toMatchObject(clean);
    expect(r.writes).toBe(32);
    expect(r.injected.lostResponses + r.injected.serverBusy).toBeGreaterThan(0); // the faults did happen
    expect(r.conditionFailures).toBeGreaterThan(0); // the writers did contend
    expect(r.attemptsPerWrite).toBeGreaterThan(1);
    expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
  }, 60_000);

  it('a write path that is not idempotent adds a token twice when a response is lost after the write applied', async () => {
    const notIdempotent = (blob: BlockBlobClient, token: string) =>
      readRefreshWrite(blob, (current) => JSON.stringify([...(JSON.parse(current ?? '[]') as string[]), token]), {
        maxAttempts: 100,
      });
    const r = await checkConcurrentWrites({
      write: notIdempotent,
      writers: 4,
      iterations: 5,
      faults: { lostResponses: 0.3, serverBusy: 0, delays: 0 },
      seed: 3,
    });
    expect(r.duplicated).toBeGreaterThan(0);
    expect(r.lostUpdates).toBe(0);
  }, 60_000);

  it('a write that leaves no JSON array of strings is an error naming what write must do', async () => {
    const wrong = async (blob: BlockBlobClient, token: string) => void (await blob.upload(token, token.length));
    await expect(checkConcurrentWrites({ write: wrong, writers: 1, iterations: 1, faults: false })).rejects.toThrow(
      /does not hold a JSON array of strings at the end .*must add token to the JSON array/,
    );
  });

  it('writers and iterations out of range are a RangeError before anything starts', async () => {
    await expect(checkConcurrentWrites({ write: appendToken, writers: 0, iterations: 1 })).rejects.toThrow(RangeError);
    await expect(checkConcurrentWrites({ write: appendToken, writers: 2, iterations: 1.5 })).rejects.toThrow(
      /iterations must be a whole number/,
    );
  });

  it('docs/library.md shows exactly the example above', () => {
    // The same code, whatever the line breaks: TypeScript's annotations dropped, spacing and trailing commas ignored.
    const region = (text: string) =>
      text
        .slice(text.indexOf('async function appendToken('), text.indexOf('// docs:end'))
        .replace(/ as string\[\]/g, '')
        .replace(/\(blob: BlockBlobClient, token: string\)/g, '(blob, token)')
        .replace(/\s+/g, '')
        .replace(/,(?=[)\]}])/g, '');
    const docs = readFileSync(new URL('../../docs/library.md', import.meta.url), 'utf8');
    const mine = readFileSync(new URL(import.meta.url), 'utf8');
    const block = docs.slice(docs.indexOf('async function appendToken('));
    expect(region(`${block.slice(0, block.indexOf('\n```'))}// docs:end`)).toBe(region(mine));
  });
});
