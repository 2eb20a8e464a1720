/**
 * `--analytics-logs`: the account's `$logs` container, listing only the hour prefixes around the request
 * (`blob/YYYY/MM/DD/hh00/`, learn.microsoft.com/azure/storage/common/storage-analytics-logging), never the
 * whole container. Blobs whose StartTime/EndTime
 * metadata miss the bounds are not downloaded; the rest stream to a temporary file and are searched like
 * local files. Azurite has no `$logs`, hence `--analytics-container` (tests upload $logs-format blobs).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerClient } from '@azure/storage-blob';
import { CnmError } from '../core/errors.js';
import type { AzureAccess } from '../azure/access.js';
import { hoursOf, type TimeBounds } from '../core/diagnose/time-options.js';
import { openTarget, parseRefOrThrow } from '../azure/open-target.js';
import { azureFacts } from '../azure/rest-error.js';
import { toCnmError } from '../azure/to-cnm-error.js';

export interface AnalyticsDownload {
  files: string[];
  /** Temporary file → `<container>/<blob name>`, so reports name the blob, not the temp copy. */
  names: Record<string, string>;
  /** Blobs listed under the hour prefixes, and how many metadata ruled out. */
  listed: number;
  skippedByMetadata: number;
  prefixes: string[];
  describe: string;
  cleanup(): Promise<void>;
}

export function hourPrefix(hour: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `blob/${hour.getUTCFullYear()}/${p(hour.getUTCMonth() + 1)}/${p(hour.getUTCDate())}/${p(hour.getUTCHours())}00/`;
}

function meta(metadata: Record<string, string> | undefined, key: string): number | undefined {
  const hit = Object.entries(metadata ?? {}).find(([k]) => k.toLowerCase() === key.toLowerCase());
  const ms = hit ? Date.parse(hit[1]) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/** StartTime/EndTime metadata, when present, says whether the blob can hold a line in the bounds. */
export function metadataOverlaps(metadata: Record<string, string> | undefined, bounds: TimeBounds): boolean {
  const start = meta(metadata, 'StartTime');
  const end = meta(metadata, 'EndTime');
  if (bounds.to && start !== undefined && start > Date.parse(bounds.to)) return false;
  if (bounds.from && end !== undefined && end < Date.parse(bounds.from)) return false;
  return true;
}

export async function listHour(
  container: ContainerClient,
  prefix: string,
): Promise<Array<{ name: string; metadata?: Record<string, string> }>> {
  const out: Array<{ name: string; metadata?: Record<string, string> }> = [];
  for await (const b of container.listBlobsFlat({ prefix, includeMetadata: true }))
    out.push({ name: b.name, metadata: b.metadata });
  return out;
}

export async function downloadAnalyticsLogs(
  access: AzureAccess,
  containerName: string,
  bounds: TimeBounds,
  /** Registers the temporary folder's removal for Ctrl-C too (a download can be interrupted half-way). */
  onExit: (task: () => Promise<void>) => () => void = () => () => undefined,
): Promise<AnalyticsDownload> {
  const hours = hoursOf(bounds);
  if (hours.length === 0) {
    throw new CnmError('usage', '--analytics-logs needs a time to pick the log hours', {
      hint: 'add --time <ISO> (about when the request failed) or --since/--until',
    });
  }
  const t = await openTarget(parseRefOrThrow(containerName, true), access);
  const container = t.service.getContainerClient(containerName);
  const dir = await mkdtemp(join(tmpdir(), 'cnm-logs-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const unregister = onExit(remove);
  const result: AnalyticsDownload = {
    files: [],
    names: {},
    listed: 0,
    skippedByMetadata: 0,
    prefixes: hours.map(hourPrefix),
    describe: `${containerName} container at ${t.plan.endpoint}`,
    cleanup: async () => {
      unregister();
      await remove();
    },
  };
  try {
    for (const prefix of result.prefixes) {
      const blobs = await listHour(container, prefix);
      result.listed += blobs.length;
      for (const b of blobs) {
        if (!metadataOverlaps(b.metadata, bounds)) {
          result.skippedByMetadata++;
          continue;
        }
        const file = join(dir, `${result.files.length}-${b.name.replace(/[\\/]/g, '_')}`);
        await container.getBlobClient(b.name).downloadToFile(file);
        result.files.push(file);
        result.names[file] = `${containerName}/${b.name}`;
      }
    }
    return result;
  } catch (err) {
    await result.cleanup();
    throw containerError(err, containerName, t.plan.endpoint);
  }
}

/** A missing container is not found (exit 4): logging was never enabled, or the name is wrong. */
export function containerError(err: unknown, containerName: string, endpoint: string): CnmError {
  if (azureFacts(err).errorCode === 'ContainerNotFound')
    return new CnmError('not-found', `the ${containerName} container does not exist at ${endpoint}`, {
      hint: 'enable Storage Analytics logging (it creates $logs), or name the container with --analytics-container',
    });
  return toCnmError(err, `the ${containerName} container`);
}
