import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateConditions } from '../../src/core/evaluate.js';
import type { BlobState } from '../../src/core/types.js';

const ETAG = '"0x8DC0000000000A"';
const OLD = '"0x8DC00000000009"';
const STATE: BlobState = {
  exists: true,
  etag: ETAG,
  lastModified: '2026-11-24T18:00:00.000Z',
  lease: { state: 'available', status: 'unlocked' },
};
const URL = 'https://acct.blob.core.windows.net/c/b';
const BEFORE = 'Tue, 24 Nov 2026 17:59:59 GMT';
const AT = 'Tue, 24 Nov 2026 18:00:00 GMT';
const AFTER = 'Tue, 24 Nov 2026 18:00:01 GMT';

/** Each clause either absent, holding, or failing against STATE. */
const clause = (pass: string, fail: string) =>
  fc.constantFrom<{ value?: string; holds?: boolean }>({}, { value: pass, holds: true }, { value: fail, holds: false });
const im = clause(ETAG, OLD);
const inm = clause(OLD, ETAG);
const ims = clause(BEFORE, AT);
const ius = clause(AT, BEFORE);

function headers(parts: Record<string, { value?: string }>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(parts)
      .filter(([, c]) => c.value !== undefined)
      .map(([h, c]) => [h, c.value!]),
  );
}

describe('combination rules (properties)', () => {
  it('reads: any failing If-Match or If-Unmodified-Since gives 412, whatever INM/IMS say', () => {
    fc.assert(
      fc.property(im, ius, inm, ims, fc.constantFrom('GET', 'HEAD'), (a, b, c, d, method) => {
        fc.pre(a.holds === false || b.holds === false);
        const h = headers({ 'if-match': a, 'if-unmodified-since': b, 'if-none-match': c, 'if-modified-since': d });
        expect(evaluateConditions({ method, url: URL, headers: h }, STATE).expected).toEqual({
          status: 412,
          errorCode: 'ConditionNotMet',
        });
      }),
    );
  });

  it('reads: with IM/IUS holding, 304 exactly when every present INM/IMS fails', () => {
    fc.assert(
      fc.property(im, ius, inm, ims, (a, b, c, d) => {
        fc.pre(a.holds !== false && b.holds !== false);
        const h = headers({ 'if-match': a, 'if-unmodified-since': b, 'if-none-match': c, 'if-modified-since': d });
        const soft = [c, d].filter((x) => x.value !== undefined);
        const notModified = soft.length > 0 && soft.every((x) => x.holds === false);
        expect(evaluateConditions({ method: 'GET', url: URL, headers: h }, STATE).expected.status).toBe(
          notModified ? 304 : 200,
        );
      }),
    );
  });

  it('writes: two or more of IM/INM/IMS/IUS outside the two allowed pairs always give 400', () => {
    fc.assert(
      fc.property(im, inm, ims, ius, (a, b, c, d) => {
        const present = (['ifMatch', 'ifNoneMatch', 'ifModifiedSince', 'ifUnmodifiedSince'] as const).filter(
          (_, i) => [a, b, c, d][i]!.value !== undefined,
        );
        const key = present.join('+');
        fc.pre(present.length >= 2 && key !== 'ifMatch+ifUnmodifiedSince' && key !== 'ifNoneMatch+ifModifiedSince');
        const h = headers({ 'if-match': a, 'if-none-match': b, 'if-modified-since': c, 'if-unmodified-since': d });
        const ev = evaluateConditions({ method: 'PUT', url: `${URL}?comp=metadata`, headers: h }, STATE);
        expect(ev.expected).toEqual({ status: 400, errorCode: 'MultipleConditionHeadersNotSupported' });
        expect(ev.cause?.code).toBe('multiple-conditions');
      }),
    );
  });

  it('writes: in an allowed pair the ETag header alone decides', () => {
    fc.assert(
      fc.property(fc.boolean(), im, ius, inm, ims, (etagPair, a, b, c, d) => {
        const [etag, date] = etagPair ? [a, b] : [c, d];
        fc.pre(etag.value !== undefined && date.value !== undefined);
        const h: Record<string, string> = etagPair
          ? { 'if-match': etag.value, 'if-unmodified-since': date.value }
          : { 'if-none-match': etag.value, 'if-modified-since': date.value };
        const ev = evaluateConditions({ method: 'PUT', url: `${URL}?comp=metadata`, headers: h }, STATE);
        expect(ev.expected.status).toBe(etag.holds ? 200 : 412);
      }),
    );
  });

  it('x-ms-if-tags is ANDed: a failing tags predicate fails any request whose other conditions hold', () => {
    fc.assert(
      fc.property(im, fc.constantFrom('GET', 'PUT'), (a, method) => {
        fc.pre(a.holds !== false);
        const h = { ...headers({ 'if-match': a }), 'x-ms-if-tags': `"k" = 'other'` };
        const ev = evaluateConditions({ method, url: URL, headers: h }, { ...STATE, tags: { k: 'v' } });
        expect(ev.expected.status).toBe(412);
        expect(ev.cause?.code).toBe('tags-condition');
      }),
    );
  });

  it('a leased blob without a lease id fails a write with LeaseIdMissing whatever the ETag conditions say', () => {
    fc.assert(
      fc.property(im, inm, (a, b) => {
        const h = headers({ 'if-match': a, 'if-none-match': b });
        fc.pre(Object.keys(h).length < 2);
        const ev = evaluateConditions(
          { method: 'PUT', url: URL, headers: h },
          { ...STATE, lease: { state: 'leased', status: 'locked', duration: 'infinite' } },
        );
        expect(ev.expected).toEqual({ status: 412, errorCode: 'LeaseIdMissing' });
      }),
    );
  });

  it('holds values are only true, false or null, and would-succeed never carries a cause', () => {
    fc.assert(
      fc.property(im, inm, ims, ius, fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE'), (a, b, c, d, method) => {
        const h = headers({ 'if-match': a, 'if-none-match': b, 'if-modified-since': c, 'if-unmodified-since': d });
        const ev = evaluateConditions({ method, url: URL, headers: h }, STATE);
        for (const cond of ev.conditions) expect([true, false, null]).toContain(cond.holds);
        if (ev.verdict === 'would-succeed') expect(ev.cause).toBeUndefined();
        else expect(ev.cause?.docs).toMatch(/^docs\/causes\/.+\.md$/);
      }),
    );
  });
});

it('an IMS one second after Last-Modified on a write fails; AFTER is used', () => {
  expect(
    evaluateConditions({ method: 'DELETE', url: URL, headers: { 'if-modified-since': AFTER } }, STATE).expected.status,
  ).toBe(412);
});
