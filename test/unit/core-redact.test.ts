import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactBody, redactCapture, redactHeaders, redactText, redactUrl } from '../../src/core/redact.js';

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

describe('redaction of what a review found leaking', () => {
  it('a percent-encoded sig name (%73ig=) in free text, as a Blob Batch body carries it', () => {
    const body = 'DELETE /c/b.json?sv=2023-01-03&%73ig=LEAKENC1 HTTP/1.1\r\nx-ms-date: today\r\n';
    const out = redactText(body);
    expect(out).not.toContain('LEAKENC1');
    expect(out).toContain('x-ms-date: today');
    expect(redactText('…?sv=1&%73%69%67=LEAKENC2')).not.toContain('LEAKENC2');
  });

  it('an x-ms-copy-source percent-encoded whole: its sig, encoded, is redacted and its grant kept', () => {
    const h = redactHeaders({
      'x-ms-copy-source': 'https%3A%2F%2Fsrc.blob.core.windows.net%2Fc%2Fb%3Fsv%3D2020%26sig%3DSECRETCS0001%26sp%3Dr',
    });
    expect(h['x-ms-copy-source']).toBe(
      `https%3A%2F%2Fsrc.blob.core.windows.net%2Fc%2Fb%3Fsv%3D2020%26sig%3D${REDACTED}%26sp%3Dr`,
    );
    expect(redactText('note: "https%3A%2F%2Fs%2Fc%2Fb%3Fsv%3D1%26sig%3DSECRETCS0002" is not')).not.toContain(
      'SECRETCS',
    );
  });

  it("a URL's user:password@ is not printed", () => {
    expect(redactUrl('http://admin:SECRETPASS@127.0.0.1:10000/c/b?comp=lease')).toBe(
      `http://${REDACTED}@127.0.0.1:10000/c/b?comp=lease`,
    );
    expect(redactUrl('https://a.blob.core.windows.net/c/b@v1.json')).toBe(
      'https://a.blob.core.windows.net/c/b@v1.json',
    );
  });

  it('sig in a log field after any separator, its name encoded in upper-case hex', () => {
    for (const text of [
      '10.0.0.1:3820?%53IG=SECRETX1',
      'caller 10.0.0.1:sig=SECRETX2',
      'a,sig=SECRETX3',
      'x=sig=SECRETX4',
      '/c/sig=SECRETX5',
      '%3Fsig%3DSECRETX6',
    ])
      expect(redactText(text), text).not.toContain('SECRETX');
  });

  it("a Blob Batch body: its sub-requests' headers through the allow-list, their URLs through redactUrl", () => {
    const body = [
      '--batch_1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 0',
      '',
      'DELETE /c/b.json?sv=1&token=SECRETB1 HTTP/1.1',
      'x-ms-date: Thu, 03 Dec 2026 10:00:00 GMT',
      'X-Custom: SECRETB2',
      'Authorization: SharedKey acct:SECRETB3',
      'If-Match: "0x1"',
      '',
      '--batch_1--',
    ].join('\r\n');
    const out = redactBody(body);
    for (const s of ['SECRETB1', 'SECRETB2', 'SECRETB3']) expect(out).not.toContain(s);
    for (const kept of ['Content-ID: 0', 'Content-Transfer-Encoding: binary', 'If-Match: "0x1"', '--batch_1--'])
      expect(out).toContain(kept);
    expect(out).toContain(`DELETE /c/b.json?sv=1&token=${REDACTED} HTTP/1.1`);
    expect(out.split('\r\n')).toHaveLength(body.split('\r\n').length);
  });

  it('a SAS pasted after # (no ?): in a URL and in free text', () => {
    expect(redactUrl('https://a.blob.core.windows.net/c/b.json#sv=1&sig=LEAKFRAG')).toBe(
      `https://a.blob.core.windows.net/c/b.json#sv=1&sig=${REDACTED}`,
    );
    expect(redactUrl('https://a.blob.core.windows.net/c/b.json#section')).toBe(
      'https://a.blob.core.windows.net/c/b.json#section',
    );
    expect(redactText('blob …/b.json#sig=LEAKFRAG2 failed')).not.toContain('LEAKFRAG2');
  });

  it("Azure's 403 detail: the request's SharedKey signature and the string it signed", () => {
    const detail =
      "<AuthenticationErrorDetail>The MAC signature found in the HTTP request '7P5P3sklVWItZA66mMlssa3x1siroo6fjDsymtmobTA=' " +
      "is not the same as any computed signature. Server used following string to sign: 'GET\n\n\n\nx-ms-date:Tue\n/acct/c'." +
      '</AuthenticationErrorDetail>';
    const out = redactText(detail);
    expect(out).not.toContain('7P5P3sklVWItZA66mMlssa3x1siroo6fjDsymtmobTA=');
    expect(out).not.toContain('x-ms-date:Tue');
    expect(out).toContain(`signature found in the HTTP request '${REDACTED}'`);
  });

  it('an Authorization line inside a JSON-serialized body is cut at its own end: the JSON stays valid', () => {
    const json = JSON.stringify({
      body: 'POST /?comp=batch HTTP/1.1\r\nAuthorization: SharedKey acct:c2lnbmF0dXJl\r\nx-ms-date: today\r\n\r\n"quoted"',
      next: 'kept',
    });
    const out = redactText(json);
    const parsed = JSON.parse(out) as { body: string; next: string };
    expect(parsed.body).toContain('x-ms-date: today');
    expect(parsed.body).not.toContain('c2lnbmF0dXJl');
    expect(parsed.next).toBe('kept');
  });
});

describe('a blob reference that does not parse', () => {
  it('is echoed without its SAS', async () => {
    const { parseBlobRef } = await import('../../src/core/blob-ref.js');
    const r = parseBlobRef('https://acct.blob.core.windows.net:99999/c/b?sv=1&sp=r&%73ig=LEAKBADURL');
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain('LEAKBADURL');
  });
});
