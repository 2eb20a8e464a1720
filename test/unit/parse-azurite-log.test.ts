import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Capture } from '../../src/core/types.js';
import type { Issue } from '../../src/core/issue.js';
import { createAzuriteLogParser } from '../../src/parse/azurite-log.js';

const lines = readFileSync(new URL('../fixtures/captures/azurite-debug.log', import.meta.url), 'utf8').split('\n');

function run(input: string[]) {
  const parser = createAzuriteLogParser('azurite-debug.log');
  const results = input.flatMap((line, i) => parser.push(line, i + 1)).concat(parser.end());
  return {
    captures: results.flatMap<Capture>((r) => (r.ok ? [r.value] : [])),
    issues: results.flatMap<Issue>((r) => (r.ok ? [] : [r.issue])),
  };
}

describe('Azurite --debug log', () => {
  const { captures, issues } = run(lines);

  it('pairs request and End lines by request id although requests interleave', () => {
    expect(captures.map((c) => [c.request.method, c.response?.status, c.response?.headers['x-ms-request-id']])).toEqual(
      [
        ['PUT', 201, '0f8d5c1a-3b2e-4d6f-8a9b-1c2d3e4f5a6b'],
        ['PUT', 412, '92d7559e-8efe-43c4-84b9-e1bd0cdc8088'],
        ['DELETE', undefined, undefined],
      ],
    );
  });

  it('a 412 observed in an Azurite log: URL gets the port from Host, headers verbatim, time from the request line', () => {
    const failed = captures[1]!;
    expect(failed.request).toMatchObject({
      url: 'http://127.0.0.1:10000/devstoreaccount1/cnm/a.txt',
      time: '2026-11-24T19:00:19.895Z',
    });
    expect(failed.request.headers['if-match']).toBe('"0x23AC78C754211A0"');
    expect(failed.response!.headers['x-ms-error-code']).toBe('ConditionNotMet');
    expect(failed.source).toEqual({ kind: 'azurite-log', file: 'azurite-debug.log', line: 4 });
  });

  it('the successful write before it carries the ETag the 412 was compared with', () => {
    expect(captures[0]!.response!.headers.etag).toBe('"0x23AC78C754211A1"');
  });

  it('a truncated request line is one issue (its End line is not reported again); an End without request is another', () => {
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [9, 'truncated or malformed Azurite request line (RequestHeaders is not JSON)'],
      [11, 'Azurite response for request 6c2f3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e without its request line'],
    ]);
  });

  it('x-ms-error-code set by ErrorMiddleware is kept when the End line lacks it', () => {
    const id = '11111111-2222-4333-8444-555555555555';
    const out = run([
      `2026-11-24T19:00:19.895Z ${id} info: BlobStorageContextMiddleware: RequestMethod=PUT RequestURL=http://127.0.0.1/devstoreaccount1/c/b RequestHeaders:{"host":"127.0.0.1:10000"} ClientIP=127.0.0.1 Protocol=http HTTPVersion=1.1`,
      `2026-11-24T19:00:19.899Z ${id} error: ErrorMiddleware: Set HTTP Header: x-ms-error-code=LeaseIdMissing`,
      `2026-11-24T19:00:19.899Z ${id} info: EndMiddleware: End response. TotalTimeInMS=4 StatusCode=412 StatusMessage=x Headers={}`,
    ]).captures;
    expect(out[0]!.response!.headers).toEqual({ 'x-ms-request-id': id, 'x-ms-error-code': 'LeaseIdMissing' });
  });

  it('startup lines, morgan access lines and blank lines are ignored', () => {
    const out = run([
      '2026-11-24T19:00:11.991Z \t info: Azurite Blob service is starting on 127.0.0.1:10000',
      '127.0.0.1 - - [24/Nov/2026:19:00:19 +0000] "PUT /devstoreaccount1/cnm/a.txt HTTP/1.1" 412 -',
      '',
    ]);
    expect(out).toEqual({ captures: [], issues: [] });
  });
});

describe('Azurite ClientIP', () => {
  it("is the capture's caller, kept beside the capture (not in its request/response data)", async () => {
    const { azuriteClientIp } = await import('../../src/parse/azurite-log.js');
    const { fromCapture } = await import('../../src/core/diagnose/observed.js');
    const { captures } = run(lines);
    const first = captures.find((c) => c.response?.status === 201)!;
    expect(azuriteClientIp(first)).toBe('127.0.0.1');
    expect(JSON.stringify(first)).not.toContain('ClientIP');
    expect(fromCapture(first, 0, azuriteClientIp(first)).caller).toBe('127.0.0.1');
  });
});
