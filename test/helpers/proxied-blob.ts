/** A blob client whose every request crosses a fault proxy in front of the test's Azurite. */
import { BlobServiceClient, newPipeline, StorageSharedKeyCredential, type BlockBlobClient } from '@azure/storage-blob';
import type { RequestPolicyFactory, StoragePipelineOptions } from '@azure/storage-blob';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import type { FaultProxy } from '../../src/testing/fault-proxy.js';

export function proxiedBlob(
  proxy: FaultProxy,
  container: string,
  name: string,
  options: StoragePipelineOptions & { first?: RequestPolicyFactory[] } = {},
): BlockBlobClient {
  const { first = [], ...pipelineOptions } = options;
  const pipeline = newPipeline(new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY), pipelineOptions);
  pipeline.factories.unshift(...first);
  return new BlobServiceClient(`${proxy.url}/${DEV_ACCOUNT}`, pipeline)
    .getContainerClient(container)
    .getBlockBlobClient(name);
}

/** Requests that are lease actions of one kind (`renew`, `acquire`, …), as the proxy sees them. */
export const leaseAction =
  (action: string) =>
  (req: { headers: Record<string, string | string[] | undefined> }): boolean =>
    req.headers['x-ms-lease-action'] === action;
