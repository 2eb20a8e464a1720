/**
 * The guide's prevention advice as one helper: read → update → write with If-Match, and on a failed
 * condition start over from the read, with jittered backoff and a bound on the attempts.
 */
import type { BlobClient, BlobDownloadResponseParsed } from '@azure/storage-blob';
import { azureFacts } from '../azure/rest-error.js';
import { fullJitter, sleep, type BackoffOptions } from './backoff.js';
import { diagnoseWrite } from './diagnose-write.js';
import { downloadText } from './download-text.js';
import { ReadRefreshWriteError } from './errors.js';

export type { BackoffOptions } from './backoff.js';

/** What the blob looked like when `update` was called; `null` when it did not exist. */
export type CurrentProperties = Pick<
  BlobDownloadResponseParsed,
  | 'etag'
  | 'lastModified'
  | 'contentType'
  | 'contentLength'
  | 'metadata'
  | 'leaseState'
  | 'leaseStatus'
  | 'leaseDuration'
  | 'versionId'
  | 'blobType'
>;

/** Returns the new content, or `null` to leave the blob as it is. */
export type Update = (
  current: string | null,
  properties: CurrentProperties | null,
) => string | Uint8Array | null | Promise<string | Uint8Array | null>;

export interface ReadRefreshWriteOptions {
  /** At most this many read → write rounds (≥ 1). */
  maxAttempts: number;
  /** The id of a lease you hold on the blob: sent with every write. */
  leaseId?: string;
  /**
   * Full-jitter exponential backoff between attempts (default `{ baseMs: 20, maxMs: 1000 }`), or a function of the
   * attempt number (1-based) → ms.
   */
  backoff?: BackoffOptions | ((attempt: number) => number);
  abortSignal?: AbortSignal;
}

export interface ReadRefreshWriteResult {
  /** `skipped` when `update` returned null. */
  outcome: 'written' | 'skipped';
  /** The ETag after the write (or the one read, when skipped); undefined when skipped on a missing blob. */
  etag?: string;
  attempts: number;
}

/** Only these mean "someone else wrote first": re-reading can fix them. Lease errors cannot. */
const RETRIABLE = new Set(['ConditionNotMet', 'BlobAlreadyExists']);

function delayFor(attempt: number, backoff: ReadRefreshWriteOptions['backoff']): number {
  if (typeof backoff === 'function') return Math.max(0, backoff(attempt));
  return fullJitter(attempt, { baseMs: backoff?.baseMs ?? 20, maxMs: backoff?.maxMs ?? 1000 });
}

async function readCurrent(
  blob: BlobClient,
  signal?: AbortSignal,
): Promise<{ content: string | null; properties: CurrentProperties | null }> {
  try {
    // One GET: content and ETag from the same response.
    const { text, response: res } = await downloadText(blob, signal);
    const {
      etag,
      lastModified,
      contentType,
      contentLength,
      metadata,
      leaseState,
      leaseStatus,
      leaseDuration,
      versionId,
      blobType,
    } = res;
    return {
      content: text,
      properties: {
        etag,
        lastModified,
        contentType,
        contentLength,
        metadata,
        leaseState,
        leaseStatus,
        leaseDuration,
        versionId,
        blobType,
      },
    };
  } catch (err) {
    if (azureFacts(err).status === 404) return { content: null, properties: null };
    throw err;
  }
}

async function write(
  blob: BlobClient,
  body: string | Uint8Array,
  props: CurrentProperties | null,
  leaseId?: string,
  signal?: AbortSignal,
) {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const conditions = props ? { ifMatch: props.etag, leaseId } : { ifNoneMatch: '*', leaseId };
  // Put Blob replaces content type and metadata too: carry over what was read.
  return blob.getBlockBlobClient().upload(bytes, bytes.byteLength, {
    conditions,
    abortSignal: signal,
    ...(props?.contentType ? { blobHTTPHeaders: { blobContentType: props.contentType } } : {}),
    ...(props?.metadata ? { metadata: props.metadata } : {}),
  });
}

/**
 * Updates a blob with optimistic concurrency. Every attempt re-reads the blob and its ETag, calls `update`
 * with the current content, and writes with `If-Match: <that ETag>` (`If-None-Match: *` when the blob did not
 * exist), sending `leaseId` when given. Only a failed condition (412 ConditionNotMet, 409 BlobAlreadyExists) is
 * retried, after a jittered backoff, at most `maxAttempts` times in all. Any other error is rethrown as is.
 *
 * @param blob - The blob to update (a BlobClient or BlockBlobClient; the write is a Put Blob).
 * @param update - Returns the new content from the current one, or `null` to skip the write.
 * @throws {@link ReadRefreshWriteError} when the attempts run out or a lease condition fails; it carries cnm's
 *   diagnosis of the last failure (`diagnosis.cause.code`, e.g. `stale-etag`, `lease-id-mismatch`).
 * `update` may run again on content that already holds its change: the SDK re-sends a write whose answer was lost,
 * the re-send fails its If-Match, and the blob is read again. Make it idempotent (return `null` when its change is
 * there), or pass a client with `retryOptions: { maxTries: 1 }` to have a lost answer rethrown instead.
 * @example
 * await readRefreshWrite(blob, (text) => {
 *   const manifest = JSON.parse(text ?? '{"files":[]}');
 *   if (manifest.files.includes('app.js')) return null; // already there: idempotent
 *   manifest.files.push('app.js');
 *   return JSON.stringify(manifest);
 * }, { maxAttempts: 10 });
 */
export async function readRefreshWrite(
  blob: BlobClient,
  update: Update,
  options: ReadRefreshWriteOptions,
): Promise<ReadRefreshWriteResult> {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts));
  for (let attempt = 1; ; attempt++) {
    const { content, properties } = await readCurrent(blob, options.abortSignal);
    const next = await update(content, properties);
    if (next === null) return { outcome: 'skipped', etag: properties?.etag, attempts: attempt };
    try {
      const res = await write(blob, next, properties, options.leaseId, options.abortSignal);
      return { outcome: 'written', etag: res.etag, attempts: attempt };
    } catch (err) {
      const facts = azureFacts(err);
      const conditional = facts.status === 412 || facts.status === 409;
      if (!conditional) throw err;
      if (!RETRIABLE.has(facts.errorCode ?? '') || attempt >= maxAttempts) {
        const diagnosis = await diagnoseWrite(blob, { etag: properties?.etag, leaseId: options.leaseId }, facts);
        throw new ReadRefreshWriteError(attempt, facts, diagnosis, err);
      }
      await sleep(delayFor(attempt, options.backoff), options.abortSignal);
    }
  }
}
