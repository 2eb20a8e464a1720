/**
 * The three ways `cnm load` adds a token to a JSON array in a blob — the write paths it compares:
 * - blind: read, append, write without a condition (last writer wins: updates are lost);
 * - etag: readRefreshWrite — read, append, write with If-Match, start over on 412;
 * - lease: withBlobLease — one writer at a time, every write fenced by the lease id.
 * The etag and lease writes skip a token already there, so a retry after a lost response does not add it twice.
 */
import type { BlockBlobClient } from '@azure/storage-blob';
import { readRefreshWrite } from './read-refresh-write.js';
import { withBlobLease } from './with-blob-lease.js';
import { downloadText } from './download-text.js';

export const STRATEGIES = ['blind', 'etag', 'lease'] as const;
export type Strategy = (typeof STRATEGIES)[number];

async function readArray(blob: BlockBlobClient, signal?: AbortSignal): Promise<string[]> {
  return JSON.parse((await downloadText(blob, signal)).text || '[]') as string[];
}

async function blind(blob: BlockBlobClient, token: string): Promise<void> {
  const text = JSON.stringify([...(await readArray(blob)), token]);
  await blob.upload(text, Buffer.byteLength(text));
}

async function etag(blob: BlockBlobClient, token: string): Promise<void> {
  await readRefreshWrite(
    blob,
    (current) => {
      const items = JSON.parse(current ?? '[]') as string[];
      return items.includes(token) ? null : JSON.stringify([...items, token]);
    },
    { maxAttempts: 500, backoff: { baseMs: 5, maxMs: 250 } },
  );
}

async function lease(blob: BlockBlobClient, token: string): Promise<void> {
  await withBlobLease(
    blob,
    async ({ conditions, signal }) => {
      const items = await readArray(blob, signal);
      if (items.includes(token)) return;
      const text = JSON.stringify([...items, token]);
      await blob.upload(text, Buffer.byteLength(text), { conditions, abortSignal: signal });
    },
    { durationSeconds: 15, maxWaitMs: 300_000, backoff: { baseMs: 5, maxMs: 250 } },
  );
}

export const strategyWrites: Record<Strategy, (blob: BlockBlobClient, token: string) => Promise<void>> = {
  blind,
  etag,
  lease,
};
