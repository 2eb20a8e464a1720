/**
 * Where `cnm load` writes: a blob of its own embedded Azurite, or — only with `--blob <ref> --execute` — a scratch
 * blob of a real account, which it creates, marks as its own, and deletes at the end. It never writes to a blob that
 * exists without its mark: a typo must not turn a production blob into a JSON array of tokens.
 */
import {
  BlobServiceClient,
  newPipeline,
  StorageSharedKeyCredential,
  type BlockBlobClient,
  type RequestPolicyFactory,
} from '@azure/storage-blob';
import type { EmbeddedAzurite } from '../azure/embedded-azurite.js';
import type { AzureAccess } from '../azure/access.js';
import { openTarget, parseRefOrThrow } from '../azure/open-target.js';
import { toCnmError } from '../azure/to-cnm-error.js';
import { azureFacts } from '../azure/rest-error.js';
import { DEV_ACCOUNT, DEV_KEY } from '../core/connection-string.js';
import { CnmError } from '../core/errors.js';
import { fullJitter, sleep } from '../lib/backoff.js';
import type { WriteTarget } from '../lib/concurrent-writes.js';
import { downloadText } from '../lib/download-text.js';

/** Metadata cnm load puts on a scratch blob of a real account: the blob is its own to overwrite and delete. */
const MARK = { cnmload: 'scratch' };

export interface LoadTarget {
  /** The target for one strategy's run (its own blob on Azurite; the same scratch blob on a real account). */
  forStrategy(strategy: string): WriteTarget;
  /** Deletes what it wrote on a real account; nothing on Azurite (it is stopped whole). */
  cleanup(): Promise<void>;
}

async function readText(blob: BlockBlobClient): Promise<string> {
  return (await blob.downloadToBuffer()).toString('utf8');
}

export function embeddedTarget(az: EmbeddedAzurite, container = 'load'): LoadTarget {
  const direct = BlobServiceClient.fromConnectionString(az.connectionString).getContainerClient(container);
  let created: Promise<unknown> | undefined;
  return {
    forStrategy(strategy) {
      const name = `${strategy}.json`;
      const blob = direct.getBlockBlobClient(name);
      return {
        clientFor(counter: RequestPolicyFactory) {
          const pipeline = newPipeline(new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY));
          pipeline.factories.unshift(counter);
          return new BlobServiceClient(az.blobEndpoint, pipeline)
            .getContainerClient(container)
            .getBlockBlobClient(name);
        },
        async reset() {
          await (created ??= direct.createIfNotExists());
          await blob.upload('[]', 2);
        },
        read: () => readText(blob),
      };
    },
    cleanup: async () => {},
  };
}

/**
 * Refuses a blob that exists without cnm load's mark; a missing container is a not-found error (exit 4). Returns
 * the marked blob's ETag, or undefined when the blob does not exist.
 */
async function checkScratch(blob: BlockBlobClient, what: string): Promise<string | undefined> {
  try {
    const p = await blob.getProperties();
    if (p.metadata?.cnmload === MARK.cnmload) return p.etag;
    throw notOurs(what, 'exists and was not written by cnm load');
  } catch (err) {
    if (err instanceof CnmError) throw err;
    if (azureFacts(err).status === 404 && azureFacts(err).errorCode !== 'ContainerNotFound') return undefined;
    throw toCnmError(err, what);
  }
}

function notOurs(what: string, why: string): CnmError {
  return new CnmError('usage', `--blob: ${what} ${why}; nothing was written`, {
    hint: 'name a scratch blob that does not exist yet (cnm load writes it, then deletes it)',
  });
}

/**
 * Sends one of cnm load's own writes, again only when the service refused it unprocessed (429, 503 ServerBusy: the
 * answer says nothing was applied, https://learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes),
 * at most four times; a lost answer or any other error ends it. The write is conditioned, so even a refusal that
 * was applied after all could not make a retry overwrite another writer's change.
 */
async function unlessRefused<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      const { status } = azureFacts(err);
      if (attempt >= 4 || (status !== 429 && status !== 503)) throw err;
      await sleep(fullJitter(attempt, { baseMs: 200, maxMs: 2000 }));
    }
  }
}

/**
 * cnm load's own writes to a real account's scratch blob — the resets between strategies and the delete at the end —
 * are conditioned on the ETag cnm load last saw (If-None-Match: * while it saw none) and sent once: the check for its
 * mark and the write are two requests, and a blob someone created or changed in between must fail the write, not
 * be overwritten or deleted; a write whose answer is lost is not sent again blindly (it may have been applied), one
 * the service refused unprocessed is (unlessRefused).
 */
export async function blobTarget(reference: string, access: AzureAccess): Promise<LoadTarget & { url: string }> {
  const ref = parseRefOrThrow(reference);
  const t = await openTarget(ref, access);
  const blob = t.service.getContainerClient(ref.container).getBlockBlobClient(ref.name!);
  // The ETag cnm load last saw the blob at: the marked blob's, or undefined while it does not exist.
  let seen = await checkScratch(blob, t.what);
  const once = t.sendOnce().getContainerClient(ref.container).getBlockBlobClient(ref.name!);
  const asApplication = (extra: RequestPolicyFactory[]) =>
    t.asApplication(extra).getContainerClient(ref.container).getBlockBlobClient(ref.name!);
  let written = false;
  // False once writers are handed out, until the blob is read again: `seen` is then not what the writers left.
  let fresh = true;
  const changed = (err: unknown) => {
    const { status } = azureFacts(err);
    return status === 412 || status === 409;
  };
  const target: WriteTarget = {
    clientFor: (counter) => {
      fresh = false;
      return asApplication([counter]);
    },
    async reset() {
      const conditions = seen === undefined ? { ifNoneMatch: '*' } : { ifMatch: seen };
      try {
        seen = (await unlessRefused(() => once.upload('[]', 2, { metadata: MARK, conditions }))).etag;
        written = true;
      } catch (err) {
        if (changed(err)) throw notOurs(t.what, 'was created or changed by someone else since cnm load read it');
        throw toCnmError(err, t.what);
      }
    },
    async read() {
      // The text and the ETag it had then, from one GET.
      const { text, response } = await downloadText(blob);
      seen = response.etag;
      fresh = true;
      return text;
    },
  };
  return {
    url: t.url,
    forStrategy: () => target,
    async cleanup() {
      if (!written) return;
      // A run that stopped before its writers' work was read: what they left is read now.
      if (!fresh) seen = (await blob.getProperties()).etag;
      try {
        await unlessRefused(() => once.deleteIfExists({ conditions: seen === undefined ? {} : { ifMatch: seen } }));
      } catch (err) {
        if (changed(err))
          throw new Error('it was changed by someone else since cnm load last read it; left in place', { cause: err });
        throw err;
      }
    },
  };
}
