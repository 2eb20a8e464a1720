import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Capture } from '../../src/core/types.js';
import type { Issue } from '../../src/core/issue.js';
import { createSdkLogParser } from '../../src/parse/sdk-log.js';

const lines = readFileSync(new URL('../fixtures/captures/sdk-info.log', import.meta.url), 'utf8').split('\n');

function run(input: string[]) {
  const parser = createSdkLogParser('sdk-info.log');
  const results = input.flatMap((line, i) => parser.push(line, i + 1)).concat(parser.end());
  return {
    captures: results.flatMap<Capture>((r) => (r.ok ? [r.value] : [])),
    issues: results.flatMap<Issue>((r) => (r.ok ? [] : [r.issue])),
  };
}

describe('Azure SDK log (AZURE_LOG_LEVEL=info)', () => {
  const { captures, issues } = run(lines);

  it('pairs each Request record with the next status and Headers records', () => {
    expect(captures.map((c) => [c.request.method, c.response?.status])).toEqual([
      ['HEAD', 200],
      ['PUT', 412],
      ['PUT', undefined],
      ['PUT', 201],
    ]);
  });

  it('a 412 observed against Azurite: request headers, response headers, time from x-ms-date, line of the Request record', () => {
    const failed = captures[1]!;
    expect(failed.request.url).toBe('http://127.0.0.1:10000/devstoreaccount1/cnm/a.txt');
    expect(failed.request.headers['if-match']).toBe('"0x23AC78C754211A0"');
    expect(failed.request.headers.authorization).toBe('REDACTED');
    expect(failed.request.time).toBe('2026-11-24T19:00:19.000Z');
    expect(failed.response!.headers).toMatchObject({
      'x-ms-error-code': 'ConditionNotMet',
      'x-ms-request-id': '92d7559e-8efe-43c4-84b9-e1bd0cdc8088',
    });
    expect(failed.source).toEqual({ kind: 'sdk-log', file: 'sdk-info.log', line: 30 });
  });

  it('application output after a Headers record does not break it', () => {
    expect(captures[1]!.response!.headers['transfer-encoding']).toBe('chunked');
  });

  it('a retried request (same client request id) whose first attempt got no response is emitted without one', () => {
    const [first, second] = captures.slice(2);
    expect(first!.request.headers['x-ms-client-request-id']).toBe('3e2d1c0b-aaaa-4bbb-8ccc-000000000003');
    expect(first!.response).toBeUndefined();
    expect(second!.request.time).toBe('2026-11-24T19:00:21.000Z');
    expect(second!.response!.status).toBe(201);
  });

  it('a log of requests that got no response is read in one pass, each request once', () => {
    // Each request looked through every request still open for a retry of itself: quadratic on such a log.
    const request = (i: number) =>
      `azure:storage-blob:info Request: {"url":"http://127.0.0.1:10000/a/c/b${i}","method":"PUT","headers":{"x-ms-client-request-id":"id-${i}"}}`;
    const input = Array.from({ length: 40_000 }, (_, i) => request(i));
    input.push(request(7), 'azure:storage-blob:info Response status code: 201', 'azure:storage-blob:info Headers: {}');
    const started = performance.now();
    const { captures: got, issues: none } = run(input);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(none).toEqual([]);
    // The retry of id-7 settles its first attempt (no response); the response pairs with the oldest still open.
    expect(got).toHaveLength(40_001);
    expect(got[0]!.request.url).toBe('http://127.0.0.1:10000/a/c/b7');
    expect(got[0]!.response).toBeUndefined();
    expect(got[1]!.request.url).toBe('http://127.0.0.1:10000/a/c/b0');
    expect(got[1]!.response?.status).toBe(201);
  });

  it('a Request record with app output after it is read up to its closing line, in one pass over many `}` lines', () => {
    // Every `}` line after it was tried as the record's end, from the last back: quadratic on such output.
    const record = [
      'azure:storage-blob:info Request: {',
      '  "url": "http://127.0.0.1:10000/a/c/b",',
      '  "method": "PUT",',
      '  "headers": { "x-ms-client-request-id": "id-1", "note": "a } and a { in a string" }',
      '}',
    ];
    const output = ['app: done {', ...Array.from({ length: 30_000 }, () => '}')];
    const started = performance.now();
    const { captures: got, issues: none } = run([...record, ...output]);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(none).toEqual([]);
    expect(got.map((c) => [c.request.method, c.request.headers['x-ms-client-request-id']])).toEqual([['PUT', 'id-1']]);
    // Output that is no JSON at all after the record's own lines: still one issue, as before.
    expect(run(['azure:storage-blob:info Request: {', '  "url": ', '}', '}']).issues).toHaveLength(1);
  });

  it('a Request record of any headers, pretty-printed, is read whatever app output follows it (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '{', '}', '[', ']', '"', '\\', ' ', ':', ',') });
    const noise = fc.array(fc.oneof(fc.constantFrom('}', '{', ']', '  }', ''), text), { maxLength: 6 });
    fc.assert(
      fc.property(fc.dictionary(text, text, { maxKeys: 4 }), noise, (headers, after) => {
        const json = JSON.stringify({ url: 'http://127.0.0.1:10000/a/c/b', method: 'put', headers }, null, 2);
        const [first, ...rest] = json.split('\n');
        const { captures: got } = run([`azure:storage-blob:info Request: ${first}`, ...rest, ...after]);
        expect(got).toHaveLength(1);
        expect(got[0]!.request.method).toBe('PUT');
      }),
      { numRuns: 500 },
    );
  });

  it('a Request record cut off at the end of the file is one issue at its first line', () => {
    expect(issues).toEqual([
      { message: 'truncated or malformed SDK log Request record', file: 'sdk-info.log', line: 88 },
    ]);
  });

  it('responses that echo x-ms-client-request-id pair with that request even when calls interleave', () => {
    const req = (id: string) => [
      'azure:storage-blob:info Request: {',
      `  "url": "https://a.blob.core.windows.net/c/${id}", "method": "PUT", "headers": {}, "requestId": "${id}"`,
      '}',
    ];
    const res = (id: string, status: number) => [
      `azure:storage-blob:info Response status code: ${status}`,
      `azure:storage-blob:info Headers: {"x-ms-client-request-id": "${id}"}`,
    ];
    const out = run([...req('a'), ...req('b'), ...res('b', 412), ...res('a', 201)]).captures;
    expect(out.map((c) => [c.request.url.slice(-1), c.response?.status])).toEqual([
      ['b', 412],
      ['a', 201],
    ]);
  });

  it.each([
    ['Headers without a status', ['azure:storage-blob:info Headers: {}'], /without a preceding "Response status code"/],
    [
      'a response without any request',
      ['azure:storage-blob:info Response status code: 412', 'azure:storage-blob:info Headers: {}'],
      /without a preceding Request/,
    ],
    ['a Request without url', ['azure:storage-blob:info Request: {"method": "GET"}'], /has no url or method/],
  ])('%s → issue', (_name, input, message) => {
    const { issues: found } = run(input);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(message);
  });
});
