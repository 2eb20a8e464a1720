/**
 * `cnm stats --analytics-logs`: the `$logs` container read for a whole range without a copy on disk. Only the hour
 * prefixes in the range are listed (`blob/YYYY/MM/DD/hh00/`, learn.microsoft.com/azure/storage/common/
 * storage-analytics-logging), blobs whose StartTime/EndTime metadata miss the range are passed over, and the rest
 * are downloaded a few at a time ahead of the one being read, each consumed as a stream of lines in time order
 * (the stream's backpressure holds the ones ahead to a small buffer). The SDK loads with this module.
 */
import type { Readable } from 'node:stream';
import type { AzureAccess } from '../azure/access.js';
import { openTarget, parseRefOrThrow } from '../azure/open-target.js';
import { logHours, type TimeBounds } from '../core/diagnose/time-options.js';
import type { RawLineBatch } from '../io/line-stream.js';
import { streamLines } from '../io/stream-lines.js';
import { containerError, hourPrefix, listHour, metadataOverlaps } from './analytics-container.js';

export interface AnalyticsRead {
  prefixes: string[];
  listed: number;
  skippedByMetadata: number;
  read: number;
  describe: string;
  notes: string[];
}

/** Downloads started ahead of the blob being read. */
const AHEAD = 4;
/** Hour prefixes listed at once. */
const LISTING = 8;
/** A month of hours: stats reads whole ranges, not the hours around one request. */
const MAX_HOURS = 31 * 24;

export async function streamAnalyticsLogs(
  access: AzureAccess,
  containerName: string,
  bounds: TimeBounds,
  each: (name: string, lines: AsyncIterable<RawLineBatch>) => Promise<void>,
): Promise<AnalyticsRead> {
  const { hours, notes } = logHours(bounds, { maxHours: MAX_HOURS });
  const t = await openTarget(parseRefOrThrow(containerName, true), access);
  const container = t.service.getContainerClient(containerName);
  const out: AnalyticsRead = {
    prefixes: hours.map(hourPrefix),
    listed: 0,
    skippedByMetadata: 0,
    read: 0,
    describe: `${containerName} container at ${t.plan.endpoint}`,
    notes: notes.map((n) => n.replace('--analytics-logs searched', '--analytics-logs read')),
  };
  const pending: Array<Promise<Readable> | undefined> = [];
  try {
    const names: string[] = [];
    for (let i = 0; i < out.prefixes.length; i += LISTING) {
      const listed = await Promise.all(out.prefixes.slice(i, i + LISTING).map((p) => listHour(container, p)));
      for (const b of listed.flat()) {
        out.listed++;
        if (metadataOverlaps(b.metadata, bounds)) names.push(b.name);
        else out.skippedByMetadata++;
      }
    }
    const start = (i: number) =>
      container
        .getBlobClient(names[i]!)
        .download()
        .then((r) => r.readableStreamBody as Readable);
    for (let i = 0; i < names.length; i++) {
      for (let j = i; j < Math.min(names.length, i + AHEAD); j++) pending[j] ??= start(j);
      const body = await pending[i]!;
      pending[i] = undefined;
      await each(`${containerName}/${names[i]}`, streamLines(body));
      out.read++;
    }
    return out;
  } catch (err) {
    for (const p of pending) void p?.then((s) => s.destroy()).catch(() => undefined);
    throw containerError(err, containerName, t.plan.endpoint);
  }
}
