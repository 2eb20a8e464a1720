// Baseline for `cnm preflight`: the least a Node program can do for the same checks — import the SDK, read the
// job list, getProperties on every blob at the same concurrency, compare ETags, print a summary.
import { readFileSync } from 'node:fs';
import { BlobServiceClient } from '@azure/storage-blob';

const [file, concurrency = '32'] = process.argv.slice(2);
const jobs = JSON.parse(readFileSync(file, 'utf8'));
const service = BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING);
let next = 0;
let stale = 0;
async function worker() {
  while (next < jobs.length) {
    const job = jobs[next++];
    const [container, ...name] = job.blob.split('/');
    const p = await service.getContainerClient(container).getBlobClient(name.join('/')).getProperties();
    if (job.ifMatch && p.etag !== job.ifMatch) stale++;
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
console.log(JSON.stringify({ total: jobs.length, stale }));
