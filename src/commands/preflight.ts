/**
 * `cnm preflight <jobs>`: a CI gate. Would each pending job's conditions hold against its blob now? Read-only:
 * one state read per blob (shared by every job on it), bounded concurrency, the engine judges.
 */
import { z } from 'zod';
import { CnmError, type InputLocation } from '../core/errors.js';
import { accessOf, type Context } from './context.js';
import { inputFiles } from './input-files.js';
import { blobRefUrl, type BlobRef } from '../core/blob-ref.js';
import {
  buildPreflightReport,
  checkJob,
  errorResult,
  groupByBlob,
  needsOf,
  type JobInput,
  type JobResult,
  type PreflightReport,
} from '../core/check-jobs.js';
import { jobRequest } from '../core/job-request.js';
import { classifyOperation } from '../core/operation.js';
import type { AzureAccess } from '../azure/access.js';
import { openTarget, parseRefOrThrow, type Target } from '../azure/open-target.js';
import { readStateForJobs } from '../azure/read-jobs-state.js';
import { toCnmError } from '../azure/to-cnm-error.js';
import { readJobsSource, type JobsSource } from '../logs/read-jobs-source.js';
import { githubAnnotations } from '../render/annotations.js';
import { VERSION } from '../core/version.js';
import { mapLimit } from './map-limit.js';
import { retarget } from '../azure/retarget.js';

export interface PreflightOptions {
  concurrency?: string;
}

const concurrencySchema = z.coerce.number().int().min(1).max(1024);

/** Failures that say nothing about the blob, only that the endpoint did not answer. */
const NETWORK = new Set(['network', 'timeout']);

function concurrencyOf(options: PreflightOptions): number {
  const parsed = concurrencySchema.safeParse(options.concurrency ?? 32);
  if (!parsed.success)
    throw new CnmError('usage', `--concurrency: must be a whole number from 1 to 1024`, { hint: 'the default is 32' });
  return parsed.data;
}

/** One client per endpoint + credential: every job on the same account shares it (and its keep-alive sockets). */
function targets(access: AzureAccess): (ref: BlobRef) => Promise<Target> {
  const open = new Map<string, Promise<Target>>();
  return (ref) => {
    const key = `${ref.accountUrl ?? ''}?${ref.sas ?? ''}`;
    if (!open.has(key)) open.set(key, openTarget(ref, access));
    return open.get(key)!;
  };
}

interface Located extends JobInput {
  ref: BlobRef;
  target: Target;
}

/**
 * A problem with one job's blob (no account for `<container>/<name>`, a URL that is no blob) is that job's, not
 * the run's: point at it (`jobs.json:7 [2].blob: … (job deploy)`) so the user knows which line to fix.
 */
async function atJob<T>(where: InputLocation, id: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof CnmError) || err.location) throw err;
    const { code, hint, status, errorCode, requestId } = err;
    throw new CnmError(code, `${err.message} (job ${id})`, {
      hint,
      status,
      errorCode,
      requestId,
      location: where,
      cause: err,
    });
  }
}

/** Like Promise.all, but the error reported is the first job's in file order, not whichever failed first. */
async function inOrder<T>(tasks: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

async function locate(source: Extract<JobsSource, { ok: true }>, access: AzureAccess): Promise<Located[]> {
  const targetFor = targets(access);
  if (source.kind === 'jobs') {
    return inOrder(
      source.jobs.map((job) =>
        atJob({ file: source.file, line: job.line, path: job.path ? `${job.path}.blob` : 'blob' }, job.id, async () => {
          const ref = parseRefOrThrow(job.blob);
          const target = await targetFor(ref);
          const url = blobRefUrl(ref, target.plan.endpoint);
          const request = jobRequest(job.operation, job, url);
          return { id: job.id, blob: job.blob, request, key: url, file: source.file, line: job.line, ref, target };
        }),
      ),
    );
  }
  return inOrder(
    source.captures.map(({ id, capture, file }) =>
      atJob({ file, line: capture.source?.line, path: 'request.url' }, id, async () => {
        if (classifyOperation(capture.request).target === 'container') {
          throw new CnmError('input', 'is a container operation; preflight checks blob operations', {
            location: { file },
            hint: `use cnm replay ${file}`,
          });
        }
        const ref = retarget(parseRefOrThrow(capture.request.url), access.connection, access.env);
        const target = await targetFor(ref);
        const url = blobRefUrl(ref, target.plan.endpoint);
        return { id, blob: url, request: capture.request, key: url, file, line: capture.source?.line, ref, target };
      }),
    ),
  );
}

/**
 * An endpoint that fails this many blobs in a row on the network (reset, no answer, DNS), with none answered,
 * is down: its remaining blobs are reported as not checked rather than each waiting out --timeout.
 */
const OUTAGE_AFTER = 8;

class Outages {
  private readonly failedInARow = new Map<string, { count: number; last: string }>();
  /** The first network failure, and whether any blob answered at all (then per-job errors are the report). */
  first?: CnmError;
  anyAnswered = false;

  down(endpoint: string): string | undefined {
    const f = this.failedInARow.get(endpoint);
    return f && f.count >= OUTAGE_AFTER ? `${endpoint} failed ${f.count} blobs in a row (last: ${f.last})` : undefined;
  }

  answered(endpoint: string): void {
    this.anyAnswered = true;
    this.failedInARow.delete(endpoint);
  }

  failed(endpoint: string, error: CnmError): void {
    this.first ??= error;
    const f = this.failedInARow.get(endpoint);
    this.failedInARow.set(endpoint, { count: (f?.count ?? 0) + 1, last: error.message });
  }
}

/** One state read serves every job on the blob. A blob that cannot be read makes its jobs errors, never the run's. */
function checker(outages: Outages): (group: Located[]) => Promise<JobResult[]> {
  return async (group) => {
    const { ref, target } = group[0]!;
    const endpoint = target.plan.endpoint;
    const down = outages.down(endpoint);
    if (down) return group.map((job) => errorResult(job, { code: 'network', message: `not checked: ${down}` }));
    const client = target.service.getContainerClient(ref.container).getBlobClient(ref.name!);
    try {
      const reading = await readStateForJobs(
        client,
        `blob ${ref.container}/${ref.name} at ${endpoint}`,
        needsOf(group.map((j) => j.request)),
      );
      outages.answered(endpoint);
      return group.map((job) => checkJob(job, reading.state));
    } catch (err) {
      const e = toCnmError(err, `blob ${ref.container}/${ref.name}`);
      if (e.code === 'internal') throw e;
      if (NETWORK.has(e.code)) outages.failed(endpoint, e);
      else outages.answered(endpoint);
      return group.map((job) => errorResult(job, { code: e.code, message: e.message }));
    }
  };
}

export async function preflight(path: string, options: PreflightOptions, ctx: Context): Promise<PreflightReport> {
  const inputs = await inputFiles([path], ctx);
  try {
    return await preflightFile(inputs.files[0]!, options, ctx);
  } finally {
    await inputs.cleanup();
  }
}

async function preflightFile(path: string, options: PreflightOptions, ctx: Context): Promise<PreflightReport> {
  const concurrency = concurrencyOf(options);
  const source = await readJobsSource(path);
  if (!source.ok) {
    const { message, ...location } = source.issue;
    throw new CnmError('input', message, { location, hint: 'fix the jobs file (see docs/formats.md) and run again' });
  }
  const located = await locate(source, accessOf(ctx));
  const groups = groupByBlob(located) as Located[][];
  const outages = new Outages();
  const byGroup = await mapLimit(groups, concurrency, checker(outages));
  // Nothing answered at all: the service is unreachable (SPEC: exit 3, one line), not a list of failed jobs.
  if (!outages.anyAnswered && outages.first) throw outages.first;
  const order = new Map(located.map((job, i) => [job, i]));
  const results = new Array<JobResult>(located.length);
  groups.forEach((group, g) => group.forEach((job, j) => (results[order.get(job)!] = byGroup[g]![j]!)));
  const github = ctx.env.GITHUB_ACTIONS === 'true';
  const report = buildPreflightReport(VERSION, results, github ? 'github' : undefined);
  // JSON, JUnit and markdown are usually redirected to a file (markdown to a PR comment), which `::error` lines
  // would corrupt; the runner reads workflow commands from stderr too (actions/runner ScriptHandler: an
  // OutputManager on each stream). Only the table, read in the log, carries them on stdout.
  if (github && ctx.options.format !== 'table') githubAnnotations(report).forEach((l) => ctx.stderr(l));
  return report;
}
