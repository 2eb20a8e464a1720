/**
 * `cnm demo`: the product's tour on an embedded in-memory Azurite (loopback, no account): real races produce
 * real 412s, and cnm explains each. It writes only to its own Azurite, which it stops before returning.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import type { Context } from '../cli/context.js';
import type { Report } from '../core/reports.js';
import { startAzurite, type EmbeddedAzurite } from '../azure/embedded-azurite.js';
import { brokenLease, createManifest, heldLease, staleWriters } from '../demo/race.js';
import { VERSION } from '../version.js';
import { inspect } from './inspect.js';
import { replay } from './replay.js';

export interface DemoStep {
  title: string;
  lines: string[];
  /** The cnm command line this step runs, as a user would type it. */
  command?: string;
  report?: Report;
}

export interface DemoReport {
  command: 'demo';
  version: string;
  endpoint: string;
  steps: DemoStep[];
}

export interface DemoOptions {
  keep?: boolean;
}

function innerContext(ctx: Context, az: EmbeddedAzurite): Context {
  return { ...ctx, env: { AZURE_STORAGE_CONNECTION_STRING: az.connectionString }, options: { ...ctx.options, quiet: true }, stderr: () => {} };
}

export async function demo(options: DemoOptions, ctx: Context): Promise<DemoReport> {
  const dir = await mkdtemp(join(tmpdir(), 'cnm-demo-'));
  const az = await startAzurite({ debugLogPath: join(dir, 'azurite-debug.log') });
  const steps: DemoStep[] = [];
  const inner = innerContext(ctx, az);
  const run = async (title: string, command: string, work: () => Promise<Report>) => {
    steps.push({ title, command, lines: [], report: await work() });
  };
  try {
    steps.push({ title: 'An embedded Azurite, in memory, on a loopback port', lines: [`blob endpoint ${az.blobEndpoint}`, `captures and Azurite's debug log in ${dir}`] });
    const service = BlobServiceClient.fromConnectionString(az.connectionString);
    const { manifest, line } = await createManifest(service);
    const race = await staleWriters(manifest, dir);
    steps.push({ title: 'Two workers update one manifest; one reuses a cached ETag', lines: [line, ...race.lines] });
    await run('Why did worker-b get 412?', `cnm replay ${race.capture.file}`, () => replay(race.capture.file, {}, inner));
    const lost = await brokenLease(manifest, dir);
    steps.push({ title: "A worker's lease is broken between acquire and write", lines: lost.lines });
    await run('Why did worker-c get 412?', `cnm replay ${lost.capture.file}`, () => replay(lost.capture.file, {}, inner));
    const held = await heldLease(manifest, dir);
    steps.push({ title: 'Another worker holds the lease; a writer forgets the lease id', lines: held.lines });
    await run('What does the blob look like now?', 'cnm inspect releases/manifest.json', () => inspect('releases/manifest.json', {}, inner));
    await run('Why did worker-a get 412?', `cnm replay ${held.capture.file}`, () => replay(held.capture.file, {}, inner));
    await held.release();
    steps.push({ title: 'Done', lines: ['worker-d released its lease; the embedded Azurite stops now', options.keep ? `captures kept in ${dir}` : 'temporary files removed'] });
    return { command: 'demo', version: VERSION, endpoint: az.blobEndpoint, steps };
  } finally {
    await az.stop();
    if (!options.keep) await rm(dir, { recursive: true, force: true });
  }
}
