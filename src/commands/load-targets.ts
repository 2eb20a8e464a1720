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
import type { WriteTarget } from '../lib/concurrent-writes.js';

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

/** Refuses a blob that exists without cnm load's mark; a missing container is a not-found error (exit 4). */
async function checkScratch(blob: BlockBlobClient, what: string): Promise<void> {
  try {
    const p = await blob.getProperties();
    if (p.metadata?.cnmload === MARK.cnmload) return;
    throw new CnmError('usage', `--blob: ${what} exists and was not written by cnm load; nothing was written`, {
      hint: 'name a scratch blob that does not exist yet (cnm load writes it, then deletes it)',
    });
  } catch (err) {
    if (err instanceof CnmError) throw err;
    if (azureFacts(err).status === 404 && azureFacts(err).errorCode !== 'ContainerNotFound') return;
    throw toCnmError(err, what);
  }
}

export async function blobTarget(reference: string, access: AzureAccess): Promise<LoadTarget & { url: string }> {
  const ref = parseRefOrThrow(reference);
  const t = await openTarget(ref, access);
  const blob = t.service.getContainerClient(ref.container).getBlockBlobClient(ref.name!);
  await checkScratch(blob, t.what);
  const asApplication = (extra: RequestPolicyFactory[]) =>
    t.asApplication(extra).getContainerClient(ref.container).getBlockBlobClient(ref.name!);
  // Resetting and deleting cnm load's own scratch blob is safe to repeat, so these retry as the writers do.
  const own = asApplication([]);
  let written = false;
  const target: WriteTarget = {
    clientFor: (counter) => asApplication([counter]),
    async reset() {
      try {
        await own.upload('[]', 2, { metadata: MARK });
        written = true;
      } catch (err) {
        throw toCnmError(err, t.what);
      }
    },
    read: () => readText(blob),
  };
  return {
    url: t.url,
    forStrategy: () => target,
    async cleanup() {
      if (written) await own.deleteIfExists();
    },
  };
}
