import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyOperation } from '../../src/core/operation.js';
import { JOB_OPERATIONS, jobRequest, resolveOperation } from '../../src/core/job-request.js';
import { parseJobs } from '../../src/parse/jobs.js';

const URL_ = 'https://acct.blob.core.windows.net/c/b.json';

describe('parseJobs: the jobs file (docs/formats.md)', () => {
  it('a JSON array of jobs → jobs with default ids naming the file and index, and the line and JSON path of each', () => {
    const text =
      '[\n  {"blob": "ctr/a.json", "ifMatch": "\\"0x1\\""},\n  {"id": "deploy", "blob": "ctr/b.json", "ifNoneMatch": "*"}\n]';
    const r = parseJobs(text, 'ci/jobs.json');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual([
      { id: 'jobs.json#1', blob: 'ctr/a.json', ifMatch: '"0x1"', operation: 'PutBlob', line: 2, path: '[0]' },
      { id: 'deploy', blob: 'ctr/b.json', ifNoneMatch: '*', operation: 'PutBlob', line: 3, path: '[1]' },
    ]);
  });

  it('NDJSON → one job a line, blank lines skipped, ids name the line', () => {
    const r = parseJobs(
      '{"blob":"ctr/a"}\n\n{"blob":"ctr/b","operation":"setblobmetadata","leaseId":"L"}\n',
      'jobs.ndjson',
    );
    expect(r.ok && r.value).toEqual([
      { id: 'jobs.ndjson:1', blob: 'ctr/a', operation: 'PutBlob', line: 1 },
      { id: 'jobs.ndjson:3', blob: 'ctr/b', operation: 'SetBlobMetadata', leaseId: 'L', line: 3 },
    ]);
  });

  it('one pretty-printed job object is one job; an explicit [] is no jobs', () => {
    expect(parseJobs('{\n  "blob": "ctr/a"\n}\n', 'j.json')).toMatchObject({ ok: true, value: [{ blob: 'ctr/a' }] });
    expect(parseJobs('[]\n', 'j.json')).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['0 bytes', ''],
    ['whitespace only', ' \n\t\r\n'],
    ['a byte-order mark only', '\uFEFF\n'],
  ])(
    'an empty jobs file (%s) → an issue "the jobs file is empty", not zero jobs that pass the gate',
    (_label, text) => {
      expect(parseJobs(text, 'j.json')).toEqual({
        ok: false,
        issue: { file: 'j.json', message: 'the jobs file is empty' },
      });
    },
  );

  it.each([
    ['a job without blob', '[\n  {"ifMatch": "x"}\n]', 2, '[0].blob', /is required/],
    [
      'a wrong type, second element',
      '[\n  {"blob": "ctr/a"},\n  {"blob": "ctr/b",\n   "ifMatch": 7}\n]',
      4,
      '[1].ifMatch',
      /must be an ETag string/,
    ],
    [
      'an unknown key (a typo would silently drop a condition)',
      '[{"blob": "ctr/a", "ifmatch": "x"}]',
      1,
      '[0]',
      /unknown key "ifmatch"/,
    ],
    ['a bad container name', '[{"blob": "Bad_Name/x"}]', 1, '[0].blob', /not a valid container name/],
    ['an unknown operation', '[{"blob": "ctr/a", "operation": "Frobnicate"}]', 1, '[0].operation', /unknown operation/],
    ['a bad date', '[{"blob": "ctr/a", "ifUnmodifiedSince": "yesterday"}]', 1, '[0].ifUnmodifiedSince', /HTTP date/],
    ['a bad tags expression', '[{"blob": "ctr/a", "ifTags": "env ="}]', 1, '[0].ifTags', /x-ms-if-tags/],
  ])('%s → an issue with file, line and JSON path', (_label, text, line, path, message) => {
    const r = parseJobs(text, 'jobs.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issue).toMatchObject({ file: 'jobs.json', line, path });
    expect(r.issue.message).toMatch(message);
  });

  it('invalid JSON → the line of the syntax error; a bad NDJSON line → its line', () => {
    expect(parseJobs('[\n {"blob": "ctr/a"},\n {"blob": }\n]', 'j.json')).toMatchObject({
      ok: false,
      issue: { line: 3 },
    });
    expect(parseJobs('{"blob":"ctr/a"}\n{"blob":"ctr/b"\n', 'j.ndjson')).toMatchObject({
      ok: false,
      issue: { line: 2, message: /NDJSON/ },
    });
    expect(parseJobs('{"blob":"ctr/a"}\n{"ifMatch":"x"}\n', 'j.ndjson')).toMatchObject({
      ok: false,
      issue: { line: 2, path: 'blob' },
    });
  });

  it('a capture is not a jobs file; plain text is neither', () => {
    expect(parseJobs('{"request": {"method": "PUT", "url": "https://a.blob.core.windows.net/c/b"}}')).toMatchObject({
      ok: false,
      issue: { message: /capture/ },
    });
    expect(parseJobs('hello')).toMatchObject({ ok: false, issue: { message: /unrecognised/ } });
  });

  it('property: any text and any JSON value give a result, never an exception', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(() => parseJobs(s, 'f')).not.toThrow();
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(() => parseJobs(JSON.stringify(v), 'f')).not.toThrow();
        expect(() => parseJobs(JSON.stringify([v]), 'f')).not.toThrow();
      }),
      { numRuns: 500 },
    );
    const job = fc.record(
      {
        blob: fc.oneof(fc.constant('c1/x'), fc.string()),
        ifMatch: fc.string(),
        leaseId: fc.string(),
        ifTags: fc.string(),
        operation: fc.string(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(job), (jobs) => {
        expect(() => parseJobs(jobs.map((j) => JSON.stringify(j)).join('\n'), 'f')).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('jobRequest: a job as the request it stands for', () => {
  it.each(JOB_OPERATIONS)('%s classifies back to itself', (op) => {
    expect(classifyOperation(jobRequest(op, {}, URL_)).name).toBe(op);
  });

  it('no operation → Put Blob; write/read/delete are words for PutBlob/GetBlob/DeleteBlob', () => {
    expect(resolveOperation(undefined)).toBe('PutBlob');
    expect([resolveOperation('write'), resolveOperation('READ'), resolveOperation('delete')]).toEqual([
      'PutBlob',
      'GetBlob',
      'DeleteBlob',
    ]);
    expect(resolveOperation('nope')).toBeUndefined();
    expect(resolveOperation('constructor')).toBeUndefined();
    expect(resolveOperation('__proto__')).toBeUndefined();
  });

  it('conditions become the headers the SDK sends: quoted ETags, RFC 1123 dates', () => {
    const req = jobRequest(
      'PutBlob',
      { ifMatch: '0x8DC', ifUnmodifiedSince: '2026-01-02T03:04:05Z', leaseId: 'L', ifTags: '"a" = \'b\'' },
      URL_,
    );
    expect(req).toMatchObject({ method: 'PUT', url: URL_ });
    expect(req.headers).toMatchObject({
      'if-match': '"0x8DC"',
      'if-unmodified-since': 'Fri, 02 Jan 2026 03:04:05 GMT',
      'x-ms-lease-id': 'L',
      'x-ms-if-tags': '"a" = \'b\'',
    });
    expect(jobRequest('PutBlob', { ifNoneMatch: '*' }, URL_).headers['if-none-match']).toBe('*');
  });
});
