import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/core/issue.js';
import { parseHar } from '../../src/parse/har.js';

const har = readFileSync(new URL('../fixtures/captures/trace.har', import.meta.url), 'utf8');

function captures(text: string, options: Parameters<typeof parseHar>[1] = {}) {
  const result = parseHar(text, { file: 'trace.har', ...options });
  if (!result.ok) throw new Error(formatIssue(result.issue));
  return result.value;
}

describe('HAR 1.2', () => {
  it('without a request id, takes the failed conditional entry (412 with If-Match) and counts the invalid entry', () => {
    const { captures: picked, skipped } = captures(har);
    expect(skipped).toBe(1);
    expect(picked).toHaveLength(1);
    expect(picked[0]).toEqual({
      request: {
        method: 'PUT',
        url: 'https://acct.blob.core.windows.net/c/blob.json',
        headers: {
          'if-match': '"0x8DC0A1B2C3D4E5F"',
          'x-ms-client-request-id': '1a512768-8cde-4970-bd95-8367bae4dd7b',
          'x-ms-version': '2025-01-05',
        },
        time: '2026-11-24T18:00:01.000Z',
      },
      response: {
        status: 412,
        headers: { 'x-ms-request-id': '470b9e55-201e-0137-5c45-cdd293000000', 'x-ms-error-code': 'ConditionNotMet' },
      },
      source: { kind: 'har', file: 'trace.har', line: 6 },
    });
  });

  it.each([
    ['x-ms-request-id of the response', '5569fa10-e01e-00c0-2745-cdb22d000000', 'GET'],
    ['x-ms-client-request-id of the request', '1A512768-8CDE-4970-BD95-8367BAE4DD7B', 'PUT'],
  ])('with a request id, takes the entry whose %s matches (case-insensitive)', (_where, id, method) => {
    const picked = captures(har, { requestId: id }).captures;
    expect(picked.map((c) => c.request.method)).toEqual([method]);
  });

  it('all entries come sorted by start time; pseudo-headers dropped, repeated headers joined, status 0 has no response', () => {
    const all = captures(har, { all: true }).captures;
    expect(all.map((c) => c.request.time)).toEqual([
      '2026-11-24T18:00:00.000Z',
      '2026-11-24T18:00:01.000Z',
      '2026-11-24T18:00:02.000Z',
    ]);
    expect(all[0]!.request.headers).toEqual({ 'x-ms-client-request-id': '0c7c3b2e-1111-4a4a-9b9b-000000000001' });
    expect(all[0]!.response!.headers['set-cookie']).toBe('a=1, b=2');
    expect(all[2]!.response).toBeUndefined();
  });

  it('a BOM before the JSON is accepted', () => {
    expect(captures(`\uFEFF${har}`).captures).toHaveLength(1);
  });

  it('an entry with a header pair it cannot read is skipped with its place, not read as having no headers', () => {
    // Its If-Match dropped with the list, the request looked unconditional and replay said it would succeed.
    const entry = (headers: unknown) =>
      JSON.stringify({
        log: {
          version: '1.2',
          entries: [
            {
              request: { method: 'PUT', url: 'https://a.blob.core.windows.net/c/b', headers },
              response: { status: 412, headers: [{ name: 'x-ms-error-code', value: 'ConditionNotMet' }] },
            },
          ],
        },
      });
    for (const [headers, path, message] of [
      [
        [{ name: 'If-Match', value: '"0x1"' }, { name: 'x-ms-lease-id' }],
        'log.entries.0.request.headers.1.value',
        /header value/,
      ],
      [[{ name: 'If-Match', value: null }], 'log.entries.0.request.headers.0.value', /header value/],
      [{ 'If-Match': '"0x1"' }, 'log.entries.0.request.headers', /array of \{name, value\} pairs/],
    ] as const) {
      const r = captures(entry(headers), { all: true });
      expect(r.captures).toEqual([]);
      expect(r.skipped).toBe(1);
      expect(r.issues[0]).toMatchObject({ file: 'trace.har', line: 1, path });
      expect(r.issues[0]!.message).toMatch(message);
    }
    // No headers at all is none, and a number is text.
    const plain = captures(entry(undefined), { all: true });
    expect(plain.captures[0]!.request.headers).toEqual({});
    expect(captures(entry([{ name: 'Content-Length', value: 0 }]), { all: true }).captures[0]!.request.headers).toEqual(
      {
        'content-length': '0',
      },
    );
  });

  it.each([
    ['not JSON', '{"log": ', /not valid JSON/],
    ['no entries', '{"log": {"version": "1.2", "creator": {}}}', /log\.entries: must be an array of entries/],
    ['HAR 2', '{"log": {"version": "2.0", "entries": []}}', /log\.version: must be a HAR 1\.x version/],
    [
      'a version number',
      '{"log": {"version": 1.2, "entries": []}}',
      /log\.version: must be a HAR 1\.x version, as text/,
    ],
    [
      'a null version',
      '{"log": {"version": null, "entries": []}}',
      /log\.version: must be a HAR 1\.x version, as text/,
    ],
  ])('%s → issue', (_name, text, message) => {
    const result = parseHar(text, { file: 'bad.har' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatIssue(result.issue)).toMatch(message);
  });
});
