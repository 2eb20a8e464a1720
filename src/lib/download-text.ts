/**
 * A blob's content and the response it came in, from one GET: downloadToBuffer() would add a HEAD and pin If-Match,
 * failing on its own under contention, and its ETag would not be the content's.
 */
import type { BlobClient, BlobDownloadResponseParsed } from '@azure/storage-blob';

export async function downloadText(
  blob: BlobClient,
  signal?: AbortSignal,
): Promise<{ text: string; response: BlobDownloadResponseParsed }> {
  const response = await blob.download(0, undefined, { abortSignal: signal });
  const chunks: Buffer[] = [];
  for await (const chunk of response.readableStreamBody!) chunks.push(Buffer.from(chunk as Buffer));
  return { text: Buffer.concat(chunks).toString('utf8'), response };
}
