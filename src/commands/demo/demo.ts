/**
 * `cnm demo`: the product's tour on an embedded in-memory Azurite (loopback, no account): real races produce
 * real 412s, the capture policy records them, and cnm explains each. It writes only to its own Azurite,
 * which it stops before returning.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { Context } from '../context.js';
import type { DemoReport, DemoStep, Report } from '../../core/reports.js';
import type { Capture } from '../../core/types.js';
import { DEV_ACCOUNT, DEV_KEY } from '../../core/connection-string.js';
import { SILENT_PROGRESS } from '../../core/progress.js';
import { startAzurite, type EmbeddedAzurite } from '../../azure/embedded-azurite.js';
import { brokenLease, createManifest, heldLease, manifestOf, staleWriters, type Failure } from './race.js';
import { retryRight } from './retry-right.js';
import { leaseRight } from './lease-right.js';
import { embeddedTarget } from '../load-targets.js';
import { runLoad, type LoadPlan } from '../load.js';
import { buildLoadReport, type LoadReport } from '../../core/load-report.js';
import { capturingPipeline } from '../../lib/capturing-pipeline.js';
import { VERSION } from '../../core/version.js';
import { diagnose } from '../diagnose.js';
import { inspect } from '../inspect.js';
import { replay } from '../replay.js';
import { stats } from '../stats.js';

export interface DemoOptions {
  keep?: boolean;
}

/** The demo's commands see only its own Azurite: the user's credentials and endpoint never reach them. */
function innerContext(ctx: Context, az: EmbeddedAzurite): Context {
  const { connectionString: _c, sas: _s, accountKey: _k, accountName: _n, accountUrl: _u, ...options } = ctx.options;
  return {
    ...ctx,
    env: { AZURE_STORAGE_CONNECTION_STRING: az.connectionString },
    options: { ...options, quiet: true },
    stderr: () => {},
    progress: () => SILENT_PROGRESS,
  };
}

/**
 * A worker's client, its name first in its user agent: cnm's captureFailedRequests policy writes every failed
 * conditional request to `dir`.
 */
function workersClient(
  az: EmbeddedAzurite,
  dir: string,
  captured: Map<string, string>,
): (name: string) => BlobServiceClient {
  const clients = new Map<string, BlobServiceClient>();
  return (name) => {
    let client = clients.get(name);
    if (!client) {
      const pipeline = capturingPipeline(
        new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY),
        {
          dir,
          onCapture: (file: string, capture: Capture) => {
            const id = capture.response?.headers['x-ms-request-id'];
            if (id) captured.set(id, file);
          },
        },
        { userAgentOptions: { userAgentPrefix: `${name}/1.0` } },
      );
      clients.set(name, (client = new BlobServiceClient(az.blobEndpoint, pipeline)));
    }
    return client;
  };
}

function captureOf(captured: Map<string, string>, failure: Failure): string {
  const file = failure.requestId ? captured.get(failure.requestId) : undefined;
  if (!file) throw new Error(`the capture policy wrote no file for ${failure.title}`);
  return file;
}

/** A short `cnm load` on the demo's own Azurite. */
async function loadStep(az: EmbeddedAzurite): Promise<LoadReport> {
  const plan: LoadPlan = { strategies: ['blind', 'etag', 'lease'], writers: 5, ops: 3 };
  const results = await runLoad(plan, embeddedTarget(az, 'demo-load'), SILENT_PROGRESS);
  return buildLoadReport(VERSION, { kind: 'embedded-azurite', endpoint: az.blobEndpoint }, results);
}

export async function demo(options: DemoOptions, ctx: Context): Promise<DemoReport> {
  const dir = await mkdtemp(join(tmpdir(), 'cnm-demo-'));
  const captures = join(dir, 'captures');
  const debugLog = join(dir, 'azurite-debug.log');
  const az = await startAzurite({ debugLogPath: debugLog });
  const steps: DemoStep[] = [];
  const inner = innerContext(ctx, az);
  const captured = new Map<string, string>();
  const run = async (title: string, command: string, work: () => Promise<Report>) => {
    steps.push({ title, command, lines: [], report: await work() });
  };
  try {
    steps.push({
      title: 'An embedded Azurite, in memory, on a loopback port',
      lines: [
        `blob endpoint ${az.blobEndpoint}`,
        `the workers' clients carry cnm's captureFailedRequests policy, writing to ${captures}`,
      ],
    });
    const clients = workersClient(az, captures, captured);
    const worker = manifestOf(clients);
    const { manifest, line } = await createManifest(clients('deploy'));
    const race = await staleWriters(worker);
    const staleFile = captureOf(captured, race.failure);
    steps.push({
      title: 'Two workers update one manifest; one reuses a cached ETag',
      lines: [line, ...race.lines, `captured: ${staleFile}`],
    });
    await run('Why did worker-b get 412?', `cnm replay ${staleFile}`, () => replay(staleFile, {}, inner));
    const diagnoseStep = (title: string, failure: Failure) => {
      const id = failure.requestId!;
      return run(title, `cnm diagnose --request-id ${id} --logs ${debugLog} ${captures}`, () =>
        diagnose(undefined, { requestId: id, logs: [debugLog, captures], window: '5m' }, inner),
      );
    };
    await diagnoseStep('Who else wrote the blob, and when?', race.failure);
    const lost = await brokenLease(worker);
    const lostFile = captureOf(captured, lost.failure);
    steps.push({
      title: "A worker's lease is broken between acquire and write",
      lines: [...lost.lines, `captured: ${lostFile}`],
    });
    await run('Why did worker-c get 412?', `cnm replay ${lostFile}`, () => replay(lostFile, {}, inner));
    await diagnoseStep("What happened to worker-c's lease?", lost.failure);
    const held = await heldLease(worker);
    const heldFile = captureOf(captured, held.failure);
    steps.push({
      title: 'Another worker holds the lease; a writer forgets the lease id',
      lines: [...held.lines, `captured: ${heldFile}`],
    });
    await run('What does the blob look like now?', 'cnm inspect releases/manifest.json', () =>
      inspect('releases/manifest.json', {}, inner),
    );
    await run('Why did worker-a get 412?', `cnm replay ${heldFile}`, () => replay(heldFile, {}, inner));
    await diagnoseStep('Who holds the lease worker-a ran into?', held.failure);
    await held.release();
    steps.push({
      title: 'The same work with readRefreshWrite: four workers at once, nothing lost',
      lines: ['worker-d released its lease', ...(await retryRight(manifest))],
    });
    steps.push({
      title:
        'One writer at a time with withBlobLease: it waits for the lease, never breaks it, and a lost lease stops the work',
      lines: await leaseRight(manifest),
    });
    await run(
      'The three write paths under load: 5 writers, 3 writes each, one blob',
      'cnm load --writers 5 --ops 3',
      () => loadStep(az),
    );
    // Every request the demo made is in Azurite's debug log: the workload's picture, as `cnm stats` draws any.
    await run(
      'The whole demo as a workload: every 412 and lease error, by time, blob, caller and origin',
      `cnm stats --logs ${debugLog} --since 2m --bucket 10s`,
      () => stats({ logs: [debugLog], since: '2m', bucket: '10s' }, inner),
    );
    steps.push({
      title: 'Done',
      lines: [
        'the embedded Azurite stops now',
        options.keep
          ? `captures and Azurite's debug log kept in ${dir}`
          : 'temporary files removed (--keep keeps them)',
      ],
    });
    return { command: 'demo', version: VERSION, endpoint: az.blobEndpoint, steps };
  } finally {
    await az.stop();
    if (!options.keep) await rm(dir, { recursive: true, force: true });
  }
}
