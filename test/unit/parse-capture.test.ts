import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCapture, parseCaptureJson, parseCaptureLine } from '../../src/parse/capture.js';
import { formatIssue } from '../../src/parse/issue.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/captures/${name}`, import.meta.url), 'utf8');

describe('capture JSON (SPEC §4)', () => {
  it('the SPEC example parses; header names are lower-cased, values verbatim', () => {
    const result = parseCaptureJson(fixture('request.json'), 'request.json');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.request).toEqual({
      method: 'PUT',
      url: 'https://acct.blob.core.windows.net/c/blob.json?comp=metadata',
      headers: {
        'if-match': '"0x8DC0A1B2C3D4E5F"',
        'x-ms-lease-id': '9c4b0b39-1b5e-4f3a-9a55-5d4a0c6b7f10',
        'x-ms-version': '2025-01-05',
      },
      time: '2026-11-24T18:00:00.123Z',
    });
    expect(result.value.response).toEqual({
      status: 412,
      headers: {
        'x-ms-request-id': '470b9e55-201e-0137-5c45-cdd293000000',
        'x-ms-error-code': 'ConditionNotMet',
        date: 'Tue, 24 Nov 2026 18:00:00 GMT',
      },
    });
    expect(result.value.source).toEqual({ kind: 'capture', file: 'request.json' });
  });

  it.each([
    ['missing request.url', 'request-missing-url.json', 'request-missing-url.json:2 request.url: is required'],
    ['a trailing comma', 'request-bad-json.json', /^request-bad-json\.json:5: not valid JSON/],
    ['a status that is no number', 'request-bad-status.json', 'request-bad-status.json:4 response.status: must be an HTTP status code'],
  ])('%s → an issue naming file, line and JSON path', (_name, file, expected) => {
    const result = parseCaptureJson(fixture(file), file);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatIssue(result.issue)).toMatch(expected);
  });

  it.each([
    ['no request', {}, 'request', 'is required'],
    ['empty method', { request: { method: ' ', url: 'https://a.blob.core.windows.net/c/b' } }, 'request.method', 'must not be empty'],
    ['relative url', { request: { method: 'GET', url: '/c/b' } }, 'request.url', 'must be an absolute URL'],
    ['headers as a string', { request: { method: 'GET', url: 'https://a/c', headers: 'x' } }, 'request.headers', 'must be an object'],
    ['bad time', { request: { method: 'GET', url: 'https://a/c', time: 'soon' } }, 'request.time', 'must be an ISO 8601 time'],
    ['status 999', { request: { method: 'GET', url: 'https://a/c' }, response: { status: 999 } }, 'response.status', 'must be an HTTP status code'],
    ['not an object', [1, 2], undefined, 'must be a capture object'],
  ])('%s → issue at %s', (_name, value, path, message) => {
    const result = parseCapture(value);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issue.path).toBe(path);
      expect(result.issue.message).toContain(message);
    }
  });

  it('numbers, booleans and arrays in headers become strings; the response is optional; method is upper-cased', () => {
    const result = parseCapture({
      request: { method: 'put', url: 'https://a.blob.core.windows.net/c/b', headers: { 'Content-Length': 2, 'X-A': ['1', '2'], 'X-B': true } },
    });
    expect(result).toEqual({
      ok: true,
      value: {
        request: { method: 'PUT', url: 'https://a.blob.core.windows.net/c/b', headers: { 'content-length': '2', 'x-a': '1, 2', 'x-b': 'true' } },
        source: { kind: 'capture' },
      },
    });
  });

  it('a numeric status string is accepted as the number', () => {
    const result = parseCapture({ request: { method: 'GET', url: 'https://a/c' }, response: { status: '304' } });
    expect(result.ok && result.value.response?.status).toBe(304);
  });
});

describe('NDJSON line of a capture', () => {
  it('keeps its line number in the source', () => {
    const result = parseCaptureLine('{"request":{"method":"GET","url":"https://a/c"}}', 12, 'c.ndjson');
    expect(result.ok && result.value.source).toEqual({ kind: 'ndjson', file: 'c.ndjson', line: 12 });
  });

  it('a truncated line is an issue with its line number', () => {
    const result = parseCaptureLine('{"request":{"meth', 3, 'c.ndjson');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatIssue(result.issue)).toMatch(/^c\.ndjson:3: not a JSON object/);
  });
});

describe('capture schema properties', () => {
  it('arbitrary JSON never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(() => parseCapture(value)).not.toThrow();
        expect(() => parseCapture({ request: value, response: value })).not.toThrow();
        expect(() => parseCaptureJson(JSON.stringify(value))).not.toThrow();
      }),
    );
  });

  it('arbitrary text never throws', () => {
    fc.assert(fc.property(fc.string(), (text) => void expect(() => parseCaptureJson(text)).not.toThrow()));
  });

  it('header names are case-insensitive: any casing gives the same lower-cased map', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/);
    const flipCase = (s: string, flips: boolean[]) =>
      [...s].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c.toLowerCase())).join('');
    fc.assert(
      fc.property(fc.dictionary(name, fc.string()), fc.array(fc.boolean(), { minLength: 1 }), (headers, flips) => {
        const lowerUnique = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
        const recased = Object.fromEntries(Object.entries(lowerUnique).map(([k, v]) => [flipCase(k, flips), v]));
        const request = (h: Record<string, string>) => ({ request: { method: 'GET', url: 'https://a/c', headers: h } });
        const a = parseCapture(request(lowerUnique));
        const b = parseCapture(request(recased));
        expect(a.ok && b.ok).toBe(true);
        if (a.ok && b.ok) expect(b.value.request.headers).toEqual(a.value.request.headers);
      }),
    );
  });
});
