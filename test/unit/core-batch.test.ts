/** Blob Batch bodies (learn.microsoft.com/rest/api/storageservices/blob-batch): sub-requests and sub-responses. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBatchRequest, parseBatchResponse } from '../../src/core/batch.js';
import { classifyOperation } from '../../src/core/operation.js';
import { batchVerdict } from '../../src/core/replay-report.js';

const B = 'batch_357de4f7-6d0b-4e02-8cd2-6361411a9525';
const URL = 'https://acct.blob.core.windows.net/?comp=batch';

/** The shape of the REST page's example request. */
function body(parts: Array<{ method: string; path: string; headers: Record<string, string> }>, eol = '\r\n'): string {
  return (
    parts
      .map((p, i) =>
        [
          `--${B}`,
          'Content-Type: application/http',
          'Content-Transfer-Encoding: binary',
          `Content-ID: ${i}`,
          '',
          `${p.method} ${p.path} HTTP/1.1`,
          ...Object.entries(p.headers).map(([k, v]) => `${k}: ${v}`),
          'Content-Length: 0',
          '',
          '',
        ].join(eol),
      )
      .join('') + `--${B}--${eol}`
  );
}

const batch = (text: string) => ({
  method: 'POST',
  url: URL,
  headers: { 'content-type': `multipart/mixed; boundary=${B}` },
  body: text,
});

describe('Blob Batch', () => {
  it('is classified as SubmitBatch (202), on the account or a container', () => {
    expect(classifyOperation({ method: 'POST', url: URL, headers: {} }).name).toBe('SubmitBatch');
    const c = 'https://acct.blob.core.windows.net/cont?restype=container&comp=batch';
    expect(classifyOperation({ method: 'POST', url: c, headers: {} }).name).toBe('SubmitBatch');
  });

  it('reads each sub-request: method, absolute URL, headers, Content-ID', () => {
    const parsed = parseBatchRequest(
      batch(
        body([
          { method: 'DELETE', path: '/cont/a.txt', headers: { 'If-Match': '"0x1"', 'x-ms-date': 'now' } },
          { method: 'PUT', path: '/cont/b.txt?comp=tier', headers: { 'x-ms-access-tier': 'Cool' } },
        ]),
      ),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject([
      { index: 0, contentId: '0', method: 'DELETE', url: 'https://acct.blob.core.windows.net/cont/a.txt' },
      { index: 1, method: 'PUT', url: 'https://acct.blob.core.windows.net/cont/b.txt?comp=tier' },
    ]);
    expect(parsed.value[0]!.headers['if-match']).toBe('"0x1"');
    expect(classifyOperation(parsed.value[1]!).name).toBe('SetBlobTier');
  });

  it('says what is missing instead of guessing', () => {
    expect(parseBatchRequest({ ...batch('x'), body: undefined })).toMatchObject({
      ok: false,
      message: /no request body/,
    });
    expect(parseBatchRequest({ ...batch('x'), headers: {} })).toMatchObject({ ok: false, message: /boundary/ });
    expect(
      parseBatchRequest(batch(`--${B}\r\nContent-Type: application/http\r\n\r\nnonsense\r\n--${B}--`)),
    ).toMatchObject({
      ok: false,
      message: /part 1 has no request line/,
    });
  });

  it('reads the 202 sub-responses by position', () => {
    const text = [
      `--batchresponse_1`,
      'Content-Type: application/http',
      'Content-ID: 0',
      '',
      'HTTP/1.1 202 Accepted',
      'x-ms-request-id: r0',
      '',
      `--batchresponse_1`,
      'Content-Type: application/http',
      'Content-ID: 1',
      '',
      'HTTP/1.1 412 The condition specified using HTTP conditional header(s) is not met.',
      'x-ms-error-code: ConditionNotMet',
      '',
      `--batchresponse_1--`,
    ].join('\r\n');
    const subs = parseBatchResponse({
      status: 202,
      headers: { 'content-type': 'multipart/mixed; boundary=batchresponse_1' },
      body: text,
    });
    expect(subs.map((s) => s.status)).toEqual([202, 412]);
    expect(subs[1]!.headers['x-ms-error-code']).toBe('ConditionNotMet');
  });

  it('property: any list of Delete Blob / Set Blob Tier parts round-trips, CRLF or LF', () => {
    const name = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    const part = fc.record({
      method: fc.constantFrom('DELETE', 'PUT'),
      path: fc.tuple(name, name).map(([c, b]) => `/c${c}/${b}`),
      headers: fc.record({ 'if-match': fc.stringMatching(/^"0x[0-9A-F]{1,15}"$/) }, { requiredKeys: [] }),
    });
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 20 }), fc.constantFrom('\r\n', '\n'), (ps, eol) => {
        const parsed = parseBatchRequest(batch(body(ps, eol)));
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.value.map((s) => [s.method, new globalThis.URL(s.url).pathname, s.headers['if-match']])).toEqual(
          ps.map((p) => [p.method, p.path, p.headers['if-match']]),
        );
      }),
    );
  });

  it('more than 256 sub-requests is refused, as Azure refuses it', () => {
    const many = Array.from({ length: 257 }, (_, i) => ({ method: 'DELETE', path: `/cont/b${i}`, headers: {} }));
    expect(parseBatchRequest(batch(body(many)))).toMatchObject({ ok: false, message: /at most 256/ });
  });

  it.each([
    [['would-succeed', 'would-fail', 'undecided'], 'would-fail'],
    [['would-succeed', 'undecided'], 'undecided'],
    [['would-succeed', 'would-succeed'], 'would-succeed'],
  ] as const)('verdict of %j → %s', (verdicts, expected) => {
    expect(batchVerdict(verdicts.map((verdict) => ({ verdict })))).toBe(expected);
  });
});
