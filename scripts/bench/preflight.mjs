// `cnm preflight` on 2,000 jobs (2,000 distinct blobs, so both sides make the same 2,000 getProperties calls)
// against an in-process Azurite, vs a bare SDK loop at the same concurrency. Both run as child processes,
// spawned asynchronously so this process's event loop keeps serving Azurite.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite } from '../../dist/azure/embedded-azurite.js';

const cnm = fileURLToPath(new URL('../../bin/cnm.js', import.meta.url));
const bare = fileURLToPath(new URL('./lib/bare-get-properties-loop.mjs', import.meta.url));
const JOBS = 2000;
const CONCURRENCY = 32;

async function seed(service) {
  const container = service.getContainerClient('preflight-bench');
  await container.create();
  const jobs = [];
  for (let i = 0; i < JOBS; i += 100) {
    const batch = Array.from({ length: Math.min(100, JOBS - i) }, async (_, k) => {
      const name = `jobs/${String(i + k).padStart(5, '0')}.json`;
      const up = await container.getBlockBlobClient(name).upload('{}', 2);
      // One job in ten carries a stale ETag, so the report has findings to render.
      return {
        id: `job-${i + k}`,
        blob: `preflight-bench/${name}`,
        ifMatch: (i + k) % 10 === 0 ? '"0x8DC0000000000A"' : up.etag,
      };
    });
    jobs.push(...(await Promise.all(batch)));
  }
  return jobs;
}

export default async function ({ compare, timeProcess }) {
  const az = await startAzurite();
  try {
    const jobs = await seed(BlobServiceClient.fromConnectionString(az.connectionString));
    const file = join(mkdtempSync(join(tmpdir(), 'cnm-bench-')), 'jobs.json');
    writeFileSync(file, JSON.stringify(jobs));
    const env = { ...process.env, AZURE_STORAGE_CONNECTION_STRING: az.connectionString, NO_COLOR: '1' };
    const node = process.execPath;
    const r = await compare(
      () => timeProcess(node, [cnm, 'preflight', file, '--json', '--concurrency', String(CONCURRENCY)], env),
      () => timeProcess(node, [bare, file, String(CONCURRENCY)], env),
      { runs: 5, warmup: 1 },
    );
    return [
      {
        name: `cnm preflight (${JOBS} jobs) vs bare SDK loop`,
        ratio: r.ratio,
        goal: 1.3,
        baseline: `cnm ${r.a.toFixed(0)} ms, SDK loop ${r.b.toFixed(0)} ms`,
        detail: `${JOBS} blobs, concurrency ${CONCURRENCY}, in-process Azurite; cnm also evaluates every job and renders JSON`,
      },
    ];
  } finally {
    await az.stop();
  }
}
