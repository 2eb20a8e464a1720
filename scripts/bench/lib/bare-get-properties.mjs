// Baseline for `cnm inspect`: the least a Node program can do for the same answer — import the SDK,
// one getProperties, print the ETag and lease state.
import { BlobServiceClient } from '@azure/storage-blob';

const [container, name] = process.argv.slice(2);
const blob = BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING)
  .getContainerClient(container)
  .getBlobClient(name);
const p = await blob.getProperties();
console.log(JSON.stringify({ etag: p.etag, lastModified: p.lastModified, leaseState: p.leaseState }));
