/**
 * The same concurrent update done right: each worker uses cnm's readRefreshWrite, which re-reads the blob and
 * its ETag before every attempt, writes with If-Match, and retries only a failed condition, a bounded number of times.
 */
import type { BlockBlobClient } from '@azure/storage-blob';
import { readRefreshWrite } from '../../lib/read-refresh-write.js';

function addFile(file: string) {
  return (current: string | null) => {
    const doc = JSON.parse(current ?? '{"version":0,"files":[]}') as { version: number; files: string[] };
    return JSON.stringify({ version: doc.version + 1, files: [...doc.files, file] });
  };
}

export async function retryRight(manifest: BlockBlobClient): Promise<string[]> {
  const workers = ['worker-a', 'worker-b', 'worker-c', 'worker-d'];
  const results = await Promise.all(
    workers.map((w) => readRefreshWrite(manifest, addFile(`${w}.bin`), { maxAttempts: 8 })),
  );
  const lines = results.map(
    (r, i) => `${workers[i]}: ${r.outcome} after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}, ETag ${r.etag}`,
  );
  const final = JSON.parse((await manifest.downloadToBuffer()).toString()) as { files: string[] };
  const lost = workers.filter((w) => !final.files.includes(`${w}.bin`));
  lines.push(
    `manifest.json now lists ${final.files.join(', ')}: ${lost.length === 0 ? 'no update lost' : `LOST ${lost.join(', ')}`}`,
  );
  return lines;
}
