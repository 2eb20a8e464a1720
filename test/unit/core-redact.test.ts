import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactCapture, redactHeaders, redactText, redactUrl } from '../../src/core/redact.js';

describe('redaction by allow-list', () => {
  it.each([
    ['authorization', 'SharedKey acct:c2lnbmF0dXJl'],
    ['x-ms-copy-source-authorization', 'Bearer eyJ0eXAi.eyJhdWQi.sig'],
    ['cookie', 'a=b'],
    ['x-some-new-header', 'who knows'],
    ['x-ms-encryption-key', 'c2VjcmV0'],
  ])('%s is never printed', (name, value) => {
    expect(redactHeaders({ [name]: value })[name]).toBe(REDACTED);
  });

  it.each(['if-match', 'if-none-match', 'x-ms-lease-id', 'x-ms-request-id', 'x-ms-if-tags', 'x-ms-meta-owner'])(
    '%s is kept',
    (name) => {
      expect(redactHeaders({ [name]: 'v' })[name]).toBe('v');
    },
  );

  it('a SAS keeps its grant fields and loses its sig', () => {
    expect(redactUrl('https://a.blob.core.windows.net/c/b?comp=metadata&sv=2025-01-05&sp=rw&sig=abc%2Bdef')).toBe(
      `https://a.blob.core.windows.net/c/b?comp=metadata&sv=2025-01-05&sp=rw&sig=${REDACTED}`,
    );
  });

  it('x-ms-copy-source is printed with its SAS redacted', () => {
    const h = redactHeaders({ 'x-ms-copy-source': 'https://a.blob.core.windows.net/c/src?sv=1&sig=SECRETSIG' });
    expect(h['x-ms-copy-source']).toBe(`https://a.blob.core.windows.net/c/src?sv=1&sig=${REDACTED}`);
  });

  it('free text loses AccountKey=, sig=, SharedKey signatures and bearer tokens', () => {
    const text = 'AccountKey=abc123==; url?sv=1&sig=zzz SharedKey acct:c2ln Authorization: Bearer eyJhbGc.x.y';
    const out = redactText(text);
    for (const s of ['abc123==', 'zzz', 'c2ln', 'eyJhbGc.x.y']) expect(out).not.toContain(s);
  });

  it('property: no query value other than allow-listed SAS/REST fields survives redactUrl', () => {
    const key = fc
      .stringMatching(/^[a-z][a-z0-9_-]{0,10}$/)
      .filter(
        (k) =>
          ![
            'comp',
            'restype',
            'blockid',
            'snapshot',
            'versionid',
            'timeout',
            'prefix',
            'include',
            'marker',
            'maxresults',
            'delimiter',
            'where',
            'prevsnapshot',
            'blocklisttype',
            'sv',
            'ss',
            'srt',
            'sp',
            'se',
            'st',
            'spr',
            'sip',
            'sr',
            'si',
            'sdd',
            'skoid',
            'sktid',
            'skt',
            'ske',
            'sks',
            'skv',
            'saoid',
            'suoid',
            'scid',
            'rscc',
            'rscd',
            'rsce',
            'rscl',
            'rsct',
            'ses',
          ].includes(k),
      );
    fc.assert(
      fc.property(key, fc.stringMatching(/^[A-Za-z0-9%+/=]{12,40}$/), (k, secret) => {
        const out = redactUrl(`https://a.blob.core.windows.net/c/b?sv=2025-01-05&${k}=${secret}`);
        expect(out).not.toContain(secret);
      }),
    );
  });

  it('property: a secret placed in any non-allow-listed header of a capture never survives', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^x-[a-z]{1,12}$/).filter((n) => !n.startsWith('x-ms-')),
        fc.stringMatching(/^[A-Za-z0-9]{16,32}$/),
        (name, secret) => {
          const c = redactCapture({
            request: {
              method: 'PUT',
              url: `https://a/c/b?sig=${secret}`,
              headers: { [name]: secret, authorization: `SharedKey a:${secret}` },
            },
          });
          expect(JSON.stringify(c)).not.toContain(secret);
        },
      ),
    );
  });
});
