/** The capture policy on a ready pipeline, for clients built from a credential rather than a connection string. */
import {
  newPipeline,
  type AnonymousCredential,
  type Pipeline,
  type StoragePipelineOptions,
  type StorageSharedKeyCredential,
} from '@azure/storage-blob';
import type { TokenCredential } from '@azure/core-auth';
import { captureFailedRequests, type CaptureOptions } from './capture-failed-requests.js';

/**
 * `newPipeline(credential, pipelineOptions)` with {@link captureFailedRequests} added first.
 *
 * @example
 * const service = new BlobServiceClient(url, capturingPipeline(new DefaultAzureCredential(), { dir: './captures' }));
 */
export function capturingPipeline(
  credential: StorageSharedKeyCredential | AnonymousCredential | TokenCredential | undefined,
  options: CaptureOptions,
  pipelineOptions: StoragePipelineOptions = {},
): Pipeline {
  const pipeline = newPipeline(credential, pipelineOptions);
  pipeline.factories.unshift(captureFailedRequests(options));
  return pipeline;
}
