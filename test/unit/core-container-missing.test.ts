import { describe, expect, it } from 'vitest';
import { evaluateConditions } from '../../src/core/evaluate.js';

const url = 'https://acct.blob.core.windows.net/gone/b.json';

describe('a blob whose container does not exist', () => {
  it.each([
    ['Put Blob with If-None-Match: * (a create)', 'PUT', url, { 'x-ms-blob-type': 'BlockBlob', 'if-none-match': '*' }],
    ['Put Blob without conditions', 'PUT', url, { 'x-ms-blob-type': 'BlockBlob' }],
    ['Set Blob Metadata with If-Match', 'PUT', `${url}?comp=metadata`, { 'if-match': '"0x1"' }],
    ['Get Blob', 'GET', url, {}],
  ])('%s → 404 ContainerNotFound, cause blob-not-found, would fail', (_l, method, u, headers) => {
    const ev = evaluateConditions({ method, url: u, headers }, { kind: 'blob', exists: false, containerExists: false });
    expect(ev.expected).toEqual({ status: 404, errorCode: 'ContainerNotFound' });
    expect(ev.verdict).toBe('would-fail');
    expect(ev.cause?.code).toBe('blob-not-found');
  });

  it('a create into an existing container whose blob is missing still succeeds', () => {
    const ev = evaluateConditions(
      { method: 'PUT', url, headers: { 'x-ms-blob-type': 'BlockBlob', 'if-none-match': '*' } },
      { kind: 'blob', exists: false, containerExists: true },
    );
    expect(ev.expected.status).toBe(201);
  });
});
