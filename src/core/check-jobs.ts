/**
 * Preflight's core: would each pending job's conditions hold against the blob as it is now? Pure: the adapter
 * reads one state per blob (what `needsOf` asks for) and this judges every job on it with the engine.
 */
import type { CauseReport } from './causes.js';
import { evaluateConditions } from './evaluate.js';
import { redactUrl } from './redact.js';
import type { ConditionResult } from './conditions/rule.js';
import type { BlobState, CapturedRequest } from './types.js';

export interface JobInput {
  id: string;
  /** What the report shows: the job's blob as written, or the capture's blob URL. */
  blob: string;
  request: CapturedRequest;
  /** Jobs with the same key name the same blob: one state read serves them all. */
  key: string;
  /** Where the job was written, for annotations and junit. */
  file?: string;
  line?: number;
}

type JobVerdict = 'fresh' | 'stale' | 'error';

export interface JobError {
  code: string;
  message: string;
}

/** One job in the report (`jobs[]`). */
export interface JobResult {
  id: string;
  blob: string;
  verdict: JobVerdict;
  operation?: string;
  cause?: CauseReport;
  conditions: ConditionResult[];
  /** What Azure would answer now. */
  expected?: { status: number; errorCode?: string };
  fix?: string[];
  notes?: string[];
  error?: JobError;
  file?: string;
  line?: number;
}

interface PreflightSummary {
  total: number;
  fresh: number;
  stale: number;
  errors: number;
}

export interface PreflightReport {
  command: 'preflight';
  version: string;
  jobs: JobResult[];
  summary: PreflightSummary;
  /** Set when running under GitHub Actions: renderers add `::error` workflow commands. */
  annotate?: 'github';
}

/** What one state read must fetch so that every job on the blob can be judged. */
export interface BlobNeeds {
  /** Get Blob Tags only when some job has an x-ms-if-tags condition. */
  tags: boolean;
  /** Distinct lease ids to probe, read-only, when the lease turns out to be active. */
  leaseIds: string[];
}

export function needsOf(requests: readonly CapturedRequest[]): BlobNeeds {
  const leaseIds = new Set<string>();
  let tags = false;
  for (const req of requests) {
    if (req.headers['x-ms-if-tags'] !== undefined) tags = true;
    const id = req.headers['x-ms-lease-id']?.trim();
    if (id) leaseIds.add(id);
  }
  return { tags, leaseIds: [...leaseIds] };
}

/** Jobs grouped by blob, each group in input order; groups in order of first appearance. */
export function groupByBlob(jobs: readonly JobInput[]): JobInput[][] {
  const groups = new Map<string, JobInput[]>();
  for (const job of jobs) {
    const group = groups.get(job.key);
    if (group) group.push(job);
    else groups.set(job.key, [job]);
  }
  return [...groups.values()];
}

function base(job: JobInput): Pick<JobResult, 'id' | 'blob' | 'file' | 'line'> {
  return {
    id: job.id,
    blob: redactUrl(job.blob),
    ...(job.file ? { file: job.file } : {}),
    ...(job.line ? { line: job.line } : {}),
  };
}

/**
 * Judges one job against its blob's current state. A job whose conditions cannot all be checked (tags not
 * readable with the gate's credential, no ETag, a weak ETag) is an error, not fresh: a gate that passes what it
 * could not check checks nothing.
 */
export function checkJob(job: JobInput, state: BlobState): JobResult {
  const ev = evaluateConditions(job.request, state);
  if (ev.verdict === 'undecided') {
    return {
      ...base(job),
      verdict: 'error',
      operation: ev.operation.name,
      conditions: ev.conditions,
      error: { code: 'undecided', message: `not checked: ${(ev.undecided ?? []).join('; ')}` },
      ...(ev.notes.length ? { notes: ev.notes } : {}),
    };
  }
  return {
    ...base(job),
    verdict: ev.verdict === 'would-succeed' ? 'fresh' : 'stale',
    operation: ev.operation.name,
    ...(ev.cause ? { cause: ev.cause } : {}),
    conditions: ev.conditions,
    expected: ev.expected,
    ...(ev.fix.length ? { fix: ev.fix } : {}),
    ...(ev.notes.length ? { notes: ev.notes } : {}),
  };
}

/** A job whose blob could not be read: neither fresh nor stale. */
export function errorResult(job: JobInput, error: JobError): JobResult {
  return { ...base(job), verdict: 'error', conditions: [], error };
}

function summarize(results: readonly JobResult[]): PreflightSummary {
  const count = (v: JobVerdict) => results.filter((r) => r.verdict === v).length;
  return { total: results.length, fresh: count('fresh'), stale: count('stale'), errors: count('error') };
}

export function buildPreflightReport(version: string, results: JobResult[], annotate?: 'github'): PreflightReport {
  return {
    command: 'preflight',
    version,
    jobs: results,
    summary: summarize(results),
    ...(annotate ? { annotate } : {}),
  };
}
