/**
 * Why the last write of readRefreshWrite failed, in cnm's words: the write as a capture, judged by the engine
 * against the blob as it is right after the failure (a read, plus a read-only lease-id probe when leased).
 */
import type { BlobClient } from '@azure/storage-blob';
import type { AzureFacts } from '../azure/rest-error.js';
import { readStateForJobs } from '../azure/read-jobs-state.js';
import { explainCapture } from '../core/explain-capture.js';
import type { Evaluation } from '../core/evaluate.js';
import { redactUrl } from '../core/redact.js';
import type { Capture, HeaderMap } from '../core/types.js';

export interface SentConditions {
  /** The ETag the write carried in If-Match; undefined when it sent If-None-Match: * (the blob was new). */
  etag?: string;
  leaseId?: string;
}

function writeCapture(url: string, sent: SentConditions, facts: AzureFacts): Capture {
  const headers: HeaderMap = { 'x-ms-blob-type': 'BlockBlob' };
  if (sent.etag) headers['if-match'] = sent.etag;
  else headers['if-none-match'] = '*';
  if (sent.leaseId) headers['x-ms-lease-id'] = sent.leaseId;
  const response: HeaderMap = {};
  if (facts.errorCode) response['x-ms-error-code'] = facts.errorCode;
  if (facts.requestId) response['x-ms-request-id'] = facts.requestId;
  return {
    request: { method: 'PUT', url: redactUrl(url), headers },
    response: { status: facts.status ?? 0, headers: response },
  };
}

/** undefined when the blob cannot be read back (the diagnosis needs its state). */
export async function diagnoseWrite(
  blob: BlobClient,
  sent: SentConditions,
  facts: AzureFacts,
): Promise<Evaluation | undefined> {
  try {
    const needs = { tags: false, leaseIds: sent.leaseId ? [sent.leaseId] : [] };
    const reading = await readStateForJobs(blob, 'blob', needs);
    return explainCapture(writeCapture(blob.url, sent, facts), reading.state);
  } catch {
    return undefined;
  }
}
