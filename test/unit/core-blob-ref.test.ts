import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blobRefUrl, parseBlobRef } from '../../src/core/blob-ref.js';
import { parseConnectionString } from '../../src/core/connection-string.js';

describe('blob references', () => {
  it.each([
    [
      'https://acct.blob.core.windows.net/ctr/dir/b.json',
      { accountUrl: 'https://acct.blob.core.windows.net', account: 'acct', container: 'ctr', name: 'dir/b.json' },
    ],
    [
      'http://127.0.0.1:10000/devstoreaccount1/ctr/b.json',
      {
        accountUrl: 'http://127.0.0.1:10000/devstoreaccount1',
        account: 'devstoreaccount1',
        container: 'ctr',
        name: 'b.json',
      },
    ],
    ['http://localhost:10000/devstoreaccount1/ctr/a%20b.json', { container: 'ctr', name: 'a b.json' }],
    ['ctr/deep/path/b.json', { container: 'ctr', name: 'deep/path/b.json' }],
    ['$logs/blob/2026/11/24/1800/000000.log', { container: '$logs', name: 'blob/2026/11/24/1800/000000.log' }],
    ['https://acct.blob.core.windows.net/ctr/b?sv=1&sig=x', { container: 'ctr', name: 'b', sas: 'sv=1&sig=x' }],
    [
      'https://acct.blob.core.windows.net/ctr/b?comp=metadata&sv=1&sig=x',
      { container: 'ctr', name: 'b', sas: 'sv=1&sig=x' },
    ],
  ])('%s', (input, expected) => {
    const r = parseBlobRef(input);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toMatchObject(expected);
  });

  it.each([
    ['', /empty/],
    ['ftp://x/c/b', /scheme/],
    ['https://', /not a valid URL/],
    ['Upper/b', /not a valid container name/],
    ['ab/b', /not a valid container name/],
    ['ctr', /no blob/],
    ['a--b/x', /not a valid container name/],
  ])('%j is refused with a message', (input, message) => {
    const r = parseBlobRef(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it.each(['comp=metadata', 'comp=block&blockid=AAAA', 'comp=blocklist', 'snapshot=2026-01-01T00:00:00Z'])(
    'a REST query without a signature (?%s) is not a SAS',
    (query) => {
      const r = parseBlobRef(`https://acct.blob.core.windows.net/ctr/b?${query}`);
      expect(r.ok && r.value.sas).toBeUndefined();
    },
  );

  it('--container wants a container, not a blob', () => {
    expect(parseBlobRef('ctr', { container: true })).toMatchObject({ ok: true, value: { container: 'ctr' } });
    expect(parseBlobRef('ctr/b', { container: true }).ok).toBe(false);
  });

  // "." and ".." segments are dot-segments to every URL parser (RFC 3986 §5.2.4) and Azure advises against them.
  it('property: any name without dot-segments round-trips through blobRefUrl and parseBlobRef', () => {
    const segment = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((s) => !s.includes('/') && s !== '.' && s !== '..');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (segments) => {
        const name = segments.join('/');
        const url = blobRefUrl({ container: 'ctr', name }, 'https://acct.blob.core.windows.net');
        const back = parseBlobRef(url);
        expect(back.ok && back.value.name).toBe(name);
      }),
    );
  });
});

describe('connection strings', () => {
  it('builds the endpoint from AccountName and EndpointSuffix', () => {
    expect(
      parseConnectionString(
        'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=k;EndpointSuffix=core.chinacloudapi.cn',
      ),
    ).toMatchObject({
      ok: true,
      value: { blobEndpoint: 'https://acct.blob.core.chinacloudapi.cn', accountName: 'acct', accountKey: 'k' },
    });
  });
  it('takes a SAS connection string', () => {
    expect(
      parseConnectionString('BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=1&sig=x'),
    ).toMatchObject({
      ok: true,
      value: { blobEndpoint: 'https://acct.blob.core.windows.net', sas: 'sv=1&sig=x' },
    });
  });
  it.each(['AccountName=a', 'garbage', 'AccountKey=k;BlobEndpoint=https://x'])('%j is refused', (cs) => {
    expect(parseConnectionString(cs).ok).toBe(false);
  });
});
