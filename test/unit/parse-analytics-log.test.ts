import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeAnalyticsField,
  encodeAnalyticsField,
  parseAnalyticsLine,
  splitAnalyticsLine,
} from '../../src/parse/storage-analytics-log.js';
import { splitObjectKey } from '../../src/parse/log-entry.js';
import { fieldStarts } from '../helpers/analytics-field-starts.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/logs/${name}`, import.meta.url), 'utf8').split('\n');
const [getBlobV1, putBlobSasV2, listBlobsOAuthV2] = fixture('analytics-samples.log');
const morePublished = fixture('analytics-more-published.log').filter(Boolean);
const [put412, get304] = fixture('analytics-412-synthetic.log');

function parsed(line: string | undefined) {
  const result = parseAnalyticsLine(line!, 1, 'x.log');
  if (!result.ok) throw new Error(`expected ok, got ${result.issue.message}`);
  return result.value;
}

describe('$logs line: the samples published on Microsoft Learn', () => {
  it('v1.0 GetBlob: doubled-quoted ETag keeps exactly one pair of quotes', () => {
    const e = parsed(getBlobV1);
    expect(e).toMatchObject({
      time: '2014-06-19T22:59:23.196Z',
      operation: 'GetBlob',
      status: 200,
      statusText: 'AnonymousSuccess',
      authType: 'anonymous',
      account: 'storagesample',
      container: 'sample-container1',
      blob: '00001.txt',
      requestId: '61d2e3f6-bcb7-4cd1-a81e-4f8f497f0da2',
      etag: '"0x8D15A2913C934DE"',
      lastModified: '2014-06-19T22:58:10.000Z',
      userAgent: 'WA-Storage/4.0.1 (.NET CLR 4.0.30319.34014; Win32NT 6.3.9600.0)',
      clientRequestId: '44dfd78e-7288-4898-8f70-c3478983d3b6',
      source: { kind: 'analytics-log', file: 'x.log', line: 1 },
    });
    expect(e.errorCode).toBeUndefined();
  });

  it('v2.0 PutBlob (SAS): unquoted URL with &amp; is one field, HTML-encoded ETag is decoded', () => {
    const e = parsed(putBlobSasV2);
    expect(e.url).toBe(
      'https://logsamples.blob.core.windows.net/container1/1.txt?se=2022-02-02T20:34:54Z&sig=XXXXX&sp=rwl&sr=c&sv=2020-04-08&timeout=901',
    );
    expect(e).toMatchObject({
      operation: 'PutBlob',
      status: 201,
      statusText: 'SASSuccess',
      authType: 'sas',
      etag: '"0x8D9CEF88004E296"',
    });
    expect(e.objectKey).toBe('/logsamples/container1/1.txt');
    expect(e.callerIp).toBe('71.197.193.44:53371');
    expect(e.contentLength).toBe(13);
  });

  it('v2.0 ListBlobs (OAuth): raw JSON quotes in authorization-detail do not break the field count', () => {
    expect(splitAnalyticsLine(listBlobsOAuthV2!)).toHaveLength(38);
    const e = parsed(listBlobsOAuthV2);
    expect(e).toMatchObject({
      requestId: '470b9e55-201e-0137-5c45-cdd293000000',
      authType: 'bearer',
      requester: 'e5981635-dcf0-4279-ab7b-ca1cbdf4a5c7',
      container: 'sample-container',
    });
    expect(e.blob).toBeUndefined();
    expect(e.url).toContain('restype=container&comp=list&prefix=');
    expect(decodeAnalyticsField(splitAnalyticsLine(listBlobsOAuthV2!)[37]!)).toMatch(
      /^\[\{"action":"Microsoft.Storage/,
    );
  });

  it.each(morePublished.map((line, i) => [i + 1, line.slice(0, 60), line] as const))(
    'other published sample %i (%s…) parses with its request id',
    (_n, _head, line) => {
      const e = parsed(line);
      expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.operation).toMatch(/^(PutBlob|CopyBlob|CopyBlobSource|PutBlock)$/);
    },
  );

  it('pre-2012 bare ETag is given its quotes; a URL object key (CopyBlobSource) still yields container and blob', () => {
    const bare = morePublished.find((l) => l.startsWith('1.0;2011'))!;
    expect(parsed(bare).etag).toBe('"0x8CE1B67AD473BC5"');
    const source = parsed(morePublished.find((l) => l.includes(';CopyBlobSource;')));
    expect(source).toMatchObject({ container: 'sample-container', blob: 'sample-blob.txt' });
  });
});

describe('$logs line: failed conditional requests (synthetic: no 412 line is published)', () => {
  it('412 ConditionNotMet: error code from request-status, If-Match rendered as a date', () => {
    const e = parsed(put412);
    expect(e).toMatchObject({
      status: 412,
      statusText: 'ConditionNotMet',
      errorCode: 'ConditionNotMet',
      conditionsUsed: { ifMatch: 'Thursday, 30-Jun-22 12:07:25 GMT' },
      etag: '"0x8DA5A9118CDE874"',
      requester: 'acct',
      clientRequestId: '1a512768-8cde-4970-bd95-8367bae4dd7b',
    });
  });

  it('304 with several conditions: each one is kept verbatim', () => {
    expect(parsed(get304).conditionsUsed).toEqual({
      ifNoneMatch: 'Thursday, 30-Jun-22 12:07:25 GMT',
      ifModifiedSince: 'Friday, 05-Aug-11 19:11:54 GMT',
    });
  });

  it('a logged key that is also an object key (`constructor`, `__proto__`) is no condition', () => {
    const withConditions = (text: string) =>
      parsed(put412!.replace('"If-Match=Thursday, 30-Jun-22 12:07:25 GMT"', `"${text}"`)).conditionsUsed;
    expect(withConditions('If-Match=Thursday, 30-Jun-22 12:07:25 GMT')).toEqual({
      ifMatch: 'Thursday, 30-Jun-22 12:07:25 GMT',
    });
    expect(withConditions('constructor=x')).toBeUndefined();
    expect(withConditions('__proto__=y;If-None-Match=*')).toEqual({ ifNoneMatch: '*' });
  });

  it('status Unknown (interrupted request) becomes 0', () => {
    expect(parsed(put412!.replace(';412;', ';Unknown;')).status).toBe(0);
  });

  it('CRLF line ending is ignored', () => {
    expect(parsed(`${getBlobV1}\r`).clientRequestId).toBe('44dfd78e-7288-4898-8f70-c3478983d3b6');
  });
});

describe('$logs line: field bounds a caller found already (the stats fast path splits every line)', () => {
  const boundsOf = (line: string) => Int32Array.from(fieldStarts(line));

  it('are taken as the split: the same entry as the line split here', () => {
    for (const line of [getBlobV1!, putBlobSasV2!, listBlobsOAuthV2!, put412!, get304!])
      expect(parseAnalyticsLine(line, 1, 'x.log', boundsOf(line))).toEqual(parseAnalyticsLine(line, 1, 'x.log'));
    // Taken, not split again: bounds that end a field at a `;` inside its quotes (where no split of the line would)
    // are read as given.
    const inQuotes = boundsOf(get304!);
    inQuotes[27] = get304!.indexOf(';If-Modified-Since') + 1;
    const taken = parseAnalyticsLine(get304!, 1, 'x.log', inQuotes);
    expect(taken.ok && taken.value.userAgent).toMatch(/^If-Modified-Since=Friday, 05-Aug-11/);
  });

  it('that start a field anywhere but after a `;`, or out of order, are not taken (a stale split of another line)', () => {
    const after = boundsOf(put412!);
    after[3]! += 1;
    expect(parseAnalyticsLine(put412!, 1, 'x.log', after)).toEqual(parseAnalyticsLine(put412!, 1, 'x.log'));
    const swapped = boundsOf(put412!);
    [swapped[5], swapped[6]] = [swapped[6]!, swapped[5]!];
    expect(parseAnalyticsLine(put412!, 1, 'x.log', swapped)).toEqual(parseAnalyticsLine(put412!, 1, 'x.log'));
    const notAtZero = boundsOf(put412!);
    notAtZero[0] = 1;
    expect(parseAnalyticsLine(put412!, 1, 'x.log', notAtZero)).toEqual(parseAnalyticsLine(put412!, 1, 'x.log'));
  });

  it('that end elsewhere than the line are not taken (a line split by its bytes, with a character of several)', () => {
    const line = put412!.replace('If-Match=', 'If-Match=é');
    const byBytes = boundsOf(line).map((b, i, all) => (i >= 27 ? b + 1 : all[i]!));
    expect(byBytes.at(-1)).toBe(Buffer.byteLength(line) + 1);
    expect(parseAnalyticsLine(line, 1, 'x.log', byBytes)).toEqual(parseAnalyticsLine(line, 1, 'x.log'));
    expect(parseAnalyticsLine(`${getBlobV1}\r`, 1, 'x.log', boundsOf(`${getBlobV1}\r`))).toEqual(
      parseAnalyticsLine(getBlobV1!, 1, 'x.log'),
    );
  });
});

describe('$logs line: malformed and truncated lines are issues, not throws', () => {
  it.each([
    ['truncated line', listBlobsOAuthV2!.slice(0, 200), /has \d+ fields, expected 38/],
    ['unknown version', '3.0;2026-01-01T00:00:00Z;PutBlob', /not a Storage Analytics log line/],
    ['free text', 'garbage that is not a log line', /not a Storage Analytics log line/],
    ['bad status', get304!.replace(';304;', ';abc;'), /not an HTTP status/],
    ['bad time', getBlobV1!.replace('2014-06-19T22:59:23.1967767Z', 'yesterday'), /not a time/],
    ['empty line', '', /not a Storage Analytics log line/],
    ['a version named like an object key', 'constructor;a;b', /version "constructo" is not 1.0 or 2.0/],
  ])('%s → issue', (_name, line, message) => {
    const result = parseAnalyticsLine(line, 7, 'x.log');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issue.message).toMatch(message);
      expect(result.issue).toMatchObject({ file: 'x.log', line: 7 });
    }
  });
});

describe('$logs tokenizer properties', () => {
  it('encoding any fields as the doc says and splitting gives them back', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 40 }), (values) => {
        const line = values.map(encodeAnalyticsField).join(';');
        expect(splitAnalyticsLine(line).map(decodeAnalyticsField)).toEqual(values);
      }),
    );
  });

  it('quoting one field of a real sample keeps the other fields and gives that value back', () => {
    const base = splitAnalyticsLine(getBlobV1!);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: base.length - 1 }), fc.string(), (index, value) => {
        const fields = [...base];
        fields[index] = encodeAnalyticsField(value);
        const back = splitAnalyticsLine(fields.join(';'));
        expect(back).toHaveLength(base.length);
        expect(decodeAnalyticsField(back[index]!)).toBe(value);
      }),
    );
  });

  // The splitter and the entity decoder jump by indexOf; these are the character loop and the global regex they
  // replaced (a line at a time they cost a third of a parse), kept as the definition they must agree with.
  const ENTITY_BEFORE = /&(?:amp|quot|lt|gt|apos|#\d+|#x[0-9a-f]+)$/i;
  function splitByCharacter(line: string): string[] {
    const fields: string[] = [];
    let start = 0;
    let quoted = false;
    let amp = -1;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c === 34) quoted = !quoted;
      else if (c === 38) amp = i;
      else if (c === 59 && !quoted && !(amp >= start && ENTITY_BEFORE.test(line.slice(Math.max(start, i - 10), i)))) {
        fields.push(line.slice(start, i));
        start = i + 1;
      }
    }
    fields.push(line.slice(start));
    return fields;
  }
  const NAMED: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" };
  function decodeByRegex(raw: string): string {
    const inner = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
    return inner.replace(/&(amp|quot|lt|gt|apos|#\d+|#x[0-9a-f]+);/gi, (whole, name: string) => {
      const lower = name.toLowerCase();
      if (!lower.startsWith('#')) return NAMED[lower] ?? whole;
      const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    });
  }
  const tricky = fc
    .array(
      fc.constantFrom(
        '"',
        ';',
        '&',
        'amp;',
        'AMP;',
        'quot;',
        'lt',
        '#10;',
        '#x41;',
        '#X4g;',
        '#99999999;',
        'a',
        ' ',
        'x',
      ),
    )
    .map((a) => a.join(''));

  it('splits and decodes exactly as the character loop and the global regex do', () => {
    fc.assert(
      fc.property(fc.oneof(tricky, fc.string()), (line) => {
        const fields = splitAnalyticsLine(line);
        expect(fields).toEqual(splitByCharacter(line));
        expect(fields.map(decodeAnalyticsField)).toEqual(fields.map(decodeByRegex));
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes a field of millions of `&` in one pass', () => {
    // Looking for the `;` again for every `&` before it made this quadratic: minutes for one such field.
    const started = performance.now();
    expect(decodeAnalyticsField(`${'&'.repeat(2_000_000)}quot;`)).toBe(`${'&'.repeat(1_999_999)}"`);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('arbitrary input never throws', () => {
    const alphabet = fc.constantFrom('"', ';', '&', 'amp;', 'quot;', '#10;', '1.0', '2.0', 'a', '\n', '\r', ' ');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(alphabet).map((a) => a.join('')),
        ),
        (line) => {
          expect(() => parseAnalyticsLine(line, 1)).not.toThrow();
          expect(() => parseAnalyticsLine(`2.0;${line}`, 1)).not.toThrow();
        },
      ),
    );
  });
});

describe('$logs line: the entry is read from the fields at their documented positions', () => {
  // The parse slices and decodes only the fields an entry is made of: each value must still come from its own
  // field, whatever the others hold (learn.microsoft.com/rest/api/storageservices/storage-analytics-log-format).
  const text = fc.oneof(fc.string(), fc.constantFrom('', '"', ';', '&amp;', 'a;b', '"x"'));
  it('every field the entry names equals the decoded field at its position (1.0 and 2.0)', () => {
    fc.assert(
      fc.property(fc.constantFrom('1.0', '2.0'), fc.array(text, { minLength: 38, maxLength: 38 }), (version, raw) => {
        const values = raw.slice(0, version === '1.0' ? 30 : 38);
        values[0] = version;
        values[1] = '2026-11-24T18:00:00.1234567Z';
        values[2] ||= 'PutBlob';
        values[4] = '412';
        const r = parseAnalyticsLine(values.map(encodeAnalyticsField).join(';'), 3, 'f.log');
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const at = (i: number) => values[i] || undefined;
        const expected = {
          time: '2026-11-24T18:00:00.123Z',
          operation: values[2],
          status: 412,
          statusText: at(3),
          authType: at(7),
          requester: at(35) ?? at(30) ?? at(8),
          url: at(11),
          objectKey: at(12),
          requestId: at(13),
          callerIp: at(15),
          userAgent: at(27),
          clientRequestId: at(29),
          source: { kind: 'analytics-log', file: 'f.log', line: 3 },
        };
        for (const [k, v] of Object.entries(expected)) expect(r.value[k as keyof typeof r.value], k).toEqual(v);
      }),
      { numRuns: 500 },
    );
  });
});

describe('object key split', () => {
  // The split and join it replaced, kept as the definition.
  function bySplit(key: string) {
    const [account, container, ...rest] = key.slice(1).split('/');
    const blob = rest.join('/');
    return { account: account || undefined, container: container || undefined, blob: blob || undefined };
  }
  it('reads /account/container/blob as a split on every / would', () => {
    const key = fc.array(fc.constantFrom('/', 'a', 'b', '.', ' ')).map((a) => `/${a.join('')}`);
    fc.assert(
      fc.property(key, (k) => {
        expect(splitObjectKey(k)).toEqual(bySplit(k));
      }),
      { numRuns: 2000 },
    );
  });
});
