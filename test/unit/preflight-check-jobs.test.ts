import { describe, expect, it } from 'vitest';
import {
  buildPreflightReport,
  checkJob,
  errorResult,
  groupByBlob,
  needsOf,
  type JobInput,
} from '../../src/core/check-jobs.js';
import { getExitCode } from '../../src/core/exit-code.js';
import { jobRequest } from '../../src/core/job-request.js';
import type { BlobState } from '../../src/core/types.js';

const URL_ = 'https://acct.blob.core.windows.net/ctr/manifest.json';
const NOW: BlobState = {
  kind: 'blob',
  exists: true,
  etag: '"0x8DC0000000000B"',
  lastModified: '2026-11-24T18:00:00.000Z',
  lease: { state: 'available', status: 'unlocked' },
  blobType: 'BlockBlob',
  metadata: {},
};

function job(id: string, conditions: Parameters<typeof jobRequest>[1], operation = 'PutBlob', url = URL_): JobInput {
  return { id, blob: url, key: url, request: jobRequest(operation, conditions, url) };
}

describe('checkJob: each job judged by the engine against the blob now', () => {
  it.each([
    [
      'If-Match with the current ETag → fresh, would answer 201',
      { ifMatch: '"0x8DC0000000000B"' },
      NOW,
      'fresh',
      undefined,
    ],
    [
      'If-Match with a stale ETag → stale-etag, 412 ConditionNotMet',
      { ifMatch: '"0x8DC0000000000A"' },
      NOW,
      'stale',
      'stale-etag',
    ],
    [
      'If-None-Match: * on an existing blob → create-only-on-existing',
      { ifNoneMatch: '*' },
      NOW,
      'stale',
      'create-only-on-existing',
    ],
    [
      'If-None-Match: * on a missing blob → fresh',
      { ifNoneMatch: '*' },
      { kind: 'blob', exists: false } as BlobState,
      'fresh',
      undefined,
    ],
    [
      'no lease id on a leased blob → lease-id-missing',
      {},
      { ...NOW, lease: { state: 'leased', status: 'locked', duration: 'infinite' } } as BlobState,
      'stale',
      'lease-id-missing',
    ],
    [
      'a lease id the probe refuted → lease-id-mismatch',
      { leaseId: 'L1' },
      { ...NOW, lease: { state: 'leased', status: 'locked', notIds: ['L1'] } } as BlobState,
      'stale',
      'lease-id-mismatch',
    ],
    [
      'If-Unmodified-Since before Last-Modified → modified-since',
      { ifUnmodifiedSince: '2026-11-24T17:00:00Z' },
      NOW,
      'stale',
      'modified-since',
    ],
  ])('%s', (_label, conditions, state, verdict, cause) => {
    const r = checkJob(job('j', conditions), state);
    expect(r.verdict).toBe(verdict);
    expect(r.cause?.code).toBe(cause);
    expect(r.operation).toBe('PutBlob');
    if (verdict === 'stale') {
      expect(r.expected?.status).toBeGreaterThanOrEqual(409);
      expect(r.fix?.length).toBeGreaterThan(0);
      expect(r.conditions.some((c) => c.holds === false)).toBe(true);
    } else expect(r.expected?.status).toBe(201);
  });

  it('a job URL with a SAS is shown redacted', () => {
    const j = { ...job('j', {}), blob: `${URL_}?sv=2025&sig=SECRET` };
    expect(checkJob(j, NOW).blob).toBe(`${URL_}?sv=2025&sig=REDACTED`);
  });
});

describe('needsOf and groupByBlob: one read per blob, only what its jobs need', () => {
  it('tags only when a job has ifTags; each distinct lease id once', () => {
    const jobs = [job('a', {}), job('b', { leaseId: 'L1' }), job('c', { leaseId: 'L1' }), job('d', { leaseId: 'L2' })];
    expect(needsOf(jobs.map((j) => j.request))).toEqual({ tags: false, leaseIds: ['L1', 'L2'] });
    expect(needsOf([job('t', { ifTags: '"a" = \'b\'' }).request])).toEqual({ tags: true, leaseIds: [] });
  });

  it('jobs on the same blob form one group, in input order', () => {
    const other = 'https://acct.blob.core.windows.net/ctr/other.json';
    const groups = groupByBlob([job('a', {}), job('b', {}, 'PutBlob', other), job('c', {})]);
    expect(groups.map((g) => g.map((j) => j.id))).toEqual([['a', 'c'], ['b']]);
  });
});

describe('the preflight report and its exit code', () => {
  const fresh = checkJob(job('f', { ifMatch: '"0x8DC0000000000B"' }), NOW);
  const stale = checkJob(job('s', { ifMatch: '"0x1"' }), NOW);
  const error = errorResult(job('e', {}), { code: 'auth', message: '403 AuthorizationFailure' });

  it.each([
    ['every job fresh → 0', [fresh], 0, { total: 1, fresh: 1, stale: 0, errors: 0 }],
    ['a stale job → 1', [fresh, stale], 1, { total: 2, fresh: 1, stale: 1, errors: 0 }],
    ['a job not checked → 3, even beside a stale one', [stale, error], 3, { total: 2, fresh: 0, stale: 1, errors: 1 }],
    ['no jobs → 0', [], 0, { total: 0, fresh: 0, stale: 0, errors: 0 }],
  ])('%s', (_label, results, code, summary) => {
    const report = buildPreflightReport('0.0.0', results);
    expect(report.summary).toEqual(summary);
    expect(getExitCode(report)).toBe(code);
  });

  it('an error job has the SPEC keys and no conditions', () => {
    expect(error).toMatchObject({ id: 'e', verdict: 'error', conditions: [], error: { code: 'auth' } });
  });
});
