import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { buildPreflightReport, checkJob, errorResult, type JobInput } from '../../src/core/check-jobs.js';
import { jobRequest } from '../../src/core/job-request.js';
import type { BlobState } from '../../src/core/types.js';
import { githubAnnotation, githubAnnotations } from '../../src/render/annotations.js';
import { preflightJunit, xmlEscape } from '../../src/render/junit.js';
import { preflightMarkdown, preflightTable } from '../../src/render/preflight.js';

const URL_ = 'https://acct.blob.core.windows.net/ctr/a&b<c>.json';
const NOW: BlobState = {
  kind: 'blob',
  exists: true,
  etag: '"0x2"',
  lastModified: '2026-11-24T18:00:00.000Z',
  lease: { state: 'available', status: 'unlocked' },
};
const input = (id: string, ifMatch: string): JobInput => ({
  id,
  blob: URL_,
  key: URL_,
  request: jobRequest('PutBlob', { ifMatch }, URL_),
  file: 'ci/jobs.json',
  line: 4,
});
const fresh = checkJob(input('fresh "one"', '"0x2"'), NOW);
const stale = checkJob(input('stale, one', '"0x1"'), NOW);
const error = errorResult(input('err', '"0x2"'), {
  code: 'auth',
  message: 'blob ctr/x: 403 AuthorizationFailure: access denied',
});
const report = buildPreflightReport('0.1.0', [fresh, stale, error]);
const style = { chalk: new Chalk({ level: 0 }) };

describe('--format junit', () => {
  const xml = preflightJunit(report);

  it('one testcase per job; counts on the suite; stale → <failure> with cause and fix, not checked → <error>', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toMatch(/<testsuite name="cnm preflight" tests="3" failures="1" errors="1" skipped="0">/);
    expect(xml).toMatch(/<failure type="stale-etag" message="The ETag in If-Match is stale[^"]*">stale-etag: /);
    expect(xml).toMatch(/Fix:\n1\. Read the blob&apos;s current properties/);
    expect(xml).toMatch(/<error type="auth" message="blob ctr\/x: 403 AuthorizationFailure: access denied">/);
  });

  it('names and attributes are escaped: no raw &, <, > or quotes inside attributes', () => {
    expect(xml).toContain('name="fresh &quot;one&quot;: https://acct.blob.core.windows.net/ctr/a&amp;b&lt;c&gt;.json"');
    const attrs = [...xml.matchAll(/="([^"]*)"/g)].map((m) => m[1]!);
    for (const a of attrs) expect(a).not.toMatch(/[<>&](?!amp;|lt;|gt;|quot;|apos;)/);
  });

  it('xmlEscape drops characters XML 1.0 cannot carry', () => {
    expect(xmlEscape('a\u0000b\u001bc\td')).toBe('abc\td');
  });
});

describe('GitHub annotations', () => {
  it('one ::error per stale or unchecked job, on the jobs file line, with properties escaped', () => {
    const lines = githubAnnotations(report);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^::error file=ci\/jobs.json,line=4,title=cnm preflight%3A job stale%2C one is stale \(stale-etag\)::/,
    );
    expect(lines[0]).toMatch(/Azure would answer 412 ConditionNotMet\)\. Fix: Read the blob/);
    expect(lines[1]).toMatch(
      /^::error .*title=cnm preflight%3A job err not checked::.*could not be checked: blob ctr\/x: 403/,
    );
  });

  it('newlines and % in a message cannot end the command early', () => {
    const line = githubAnnotation({ ...error, error: { code: 'azure', message: '100% broken\nnext line' } });
    expect(line).toContain('100%25 broken%0Anext line');
    expect(line.split('\n')).toHaveLength(1);
  });
});

describe('table and markdown', () => {
  it("the table lists each job and the stale job's failing condition and first fix; annotations only when asked", () => {
    const text = preflightTable(report, style);
    expect(text).toMatch(/STALE/);
    expect(text).toMatch(/if-match: .*≠ current ETag/);
    expect(text).toMatch(/incomplete: 3 jobs: 1 fresh, 1 stale, 1 not checked/);
    expect(text).not.toMatch(/::error/);
    expect(preflightTable({ ...report, annotate: 'github' }, style)).toMatch(/\n::error file=ci\/jobs.json,line=4/);
  });

  it('markdown (a PR comment) tables the failing jobs and folds the fresh ones', () => {
    const md = preflightMarkdown(report);
    expect(md).toMatch(/^### :warning: cnm preflight: 3 jobs: 1 fresh, 1 stale, 1 not checked/);
    expect(md).toMatch(/\| stale, one \| `[^`]+` \| \*\*stale\*\* \| `stale-etag` 412 ConditionNotMet \|/);
    expect(md).toMatch(/<details><summary>1 fresh job<\/summary>/);
  });

  it('markdown never carries ::error lines, even under GitHub Actions: a PR comment would show them raw', () => {
    const md = preflightMarkdown({ ...report, annotate: 'github' });
    expect(md).not.toMatch(/::error/);
    expect(md).toBe(preflightMarkdown(report));
  });

  it('with more than 50 jobs the table lists only those that are not fresh', () => {
    const many = buildPreflightReport('0.1.0', [
      ...Array.from({ length: 60 }, (_, i) => ({ ...fresh, id: `f${i}` })),
      stale,
    ]);
    const text = preflightTable(many, style);
    expect(text).toMatch(/60 fresh jobs not listed/);
    expect(text).not.toMatch(/│ f12 /);
  });
});
