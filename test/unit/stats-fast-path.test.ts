/**
 * The `$logs` fast path of cnm stats must count every line exactly as the full parse would: for any line, the
 * fields read from its bytes (by the WebAssembly scanner, or by the careful split when a quote or an `&` puts it
 * in doubt) equal those of recordOf(fromLogEntry(parseAnalyticsLine(line))); a read counted without a record
 * (`light`) is counted by the same numbers; a line the fast path declines is one the full parse is left to judge.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLogEntry } from '../../src/core/diagnose/observed.js';
import { recordOf } from '../../src/core/stats/record.js';
import { AnalyticsLines } from '../../src/parse/analytics-fast.js';
import { AnalyticsScanner } from '../../src/parse/analytics-scanner.js';
import { encodeAnalyticsField, parseAnalyticsLine } from '../../src/parse/storage-analytics-log.js';
import { fieldStarts } from '../helpers/analytics-field-starts.js';

/** `arb` now and then (one time in `every`), else null: the noise stays rare enough for the plain lines to be many. */
const rarely = <T>(arb: fc.Arbitrary<T>, every = 6) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: every - 1 }, { arbitrary: arb, weight: 1 });

const text = fc.string({ unit: fc.constantFrom('a', 'B', '-', ';', '"', '&', 'é', ' ', '/', '=', '.'), maxLength: 12 });
const name = fc.string({
  unit: fc.constantFrom('a', 'b', 'Z', '-', '/', '.', '&', ';', 'é'),
  minLength: 1,
  maxLength: 10,
});

const plainName = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '-', '.', 'é', '0'), minLength: 1, maxLength: 8 });

const line = fc
  .record({
    // Now and then a version that only looks like one (the full parse refuses it: so must the fast path).
    version: fc.oneof(
      { arbitrary: fc.constantFrom('1.0', '2.0'), weight: 8 },
      { arbitrary: fc.constantFrom('2.5', '2.01', '1.x', '2,0', '"2.0"', '20.'), weight: 1 },
    ),
    // Now and then a field the fast path reads as written quoted, or holding an entity (the full parse decodes both).
    dress: rarely(fc.tuple(fc.constantFrom(2, 3, 7, 8, 9, 15), fc.constantFrom('quote', 'entity'))),
    ms: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }),
    // Now and then a time that is not quite the shape: a character replaced (a 24th hour, a 13th month, a letter in
    // the minutes), or the end cut (no fraction, a short one).
    timeEdit: rarely(fc.tuple(fc.nat(27), fc.constantFrom('0', '2', '3', '9', ':', '-', 'T', 'Z', '.', 'a', ' ', ''))),
    timeCut: rarely(fc.constantFrom(19, 20, 21, 22, 23)),
    op: fc.constantFrom(
      'GetBlob',
      'PutBlob',
      'SetBlobMetadata',
      'LeaseBlob',
      'ListBlobs',
      'HeadBlob',
      'FindBlobsByTags',
      'Get',
      'Ge',
      'Lis',
      'Quer',
      'QueryBlobContents',
      'Hea',
      'Fin',
    ),
    status: fc.constantFrom(200, 201, 304, 404, 409, 412),
    statusText: fc.constantFrom(
      'Success',
      'ConditionNotMet',
      'LeaseIdMissing',
      'BlobAlreadyExists',
      'ContainerAlreadyExists',
      'ClientOtherError',
    ),
    owner: fc.constantFrom('acct', 'Acct', 'other', ''),
    key: fc.oneof(
      fc
        .tuple(
          fc.constantFrom('acct', 'ACCT', 'x'),
          fc.constantFrom('c', 'checkpoints', ''),
          // Mostly names the fast path reads itself; sometimes one with `&`, `;` or `/` in it.
          fc.oneof({ arbitrary: plainName, weight: 3 }, { arbitrary: name, weight: 1 }),
        )
        .map(([a, c, n]) => `/${a}/${c}/${n}`),
      fc.constantFrom('/acct/c', '', 'https://acct.blob.core.windows.net/c/b?x=1&y=2'),
    ),
    // Addresses whose port hostOf drops, and others it keeps as written.
    ip: fc.constantFrom(
      '10.0.0.1:5000',
      '10.0.0.1:5001',
      '10.0.0.1',
      '',
      '[::1]:80',
      '[::1]:81',
      'host:12',
      'host:13',
      '1.2.3.4:',
      ':5',
      '12345',
      '1:2:3',
      '10.0.0.é:5',
    ),
    conditions: fc.constantFrom('', 'If-Match=Tuesday, 24-Nov-26 18:00:00 GMT', 'x-ms-if-tags=a'),
    ua: text,
    auth: fc.constantFrom('authenticated', 'anonymous', 'sas', 'oauth'),
    requester: fc.constantFrom('acct', ''),
    upn: fc.constantFrom('', 'me@example.com'),
    // The published samples' quirks: an unquoted URL whose `&amp;` ends in a `;`, an ETag in doubled quotes.
    rawUrl: fc.boolean(),
    etag: fc.constantFrom('', '"&quot;0x8D1&quot;"', '""0x8D1""'),
  })
  .map((f) => {
    let time = new Date(f.ms).toISOString().replace('Z', '0000Z');
    if (f.timeEdit) time = time.slice(0, f.timeEdit[0]) + f.timeEdit[1] + time.slice(f.timeEdit[0] + 1);
    if (f.timeCut) time = `${time.slice(0, f.timeCut)}Z`;
    const fields = [
      f.version,
      time,
      f.op,
      f.statusText,
      String(f.status),
      '5',
      '4',
      f.auth,
      f.requester,
      f.owner,
      'blob',
      f.rawUrl
        ? `https://acct.blob.core.windows.net${f.key}?comp=a&amp;b=c`
        : encodeAnalyticsField(`https://acct.blob.core.windows.net${f.key}`),
      encodeAnalyticsField(f.key),
      'id-1',
      '0',
      f.ip,
      '2025-01-05',
      // Sizes, MD5s, ETag and Last-Modified (fields 17 to 25): not read by the fast path.
      ...Array<string>(7).fill(''),
      f.etag,
      '',
      encodeAnalyticsField(f.conditions),
      encodeAnalyticsField(f.ua),
      '',
      'client-1',
    ];
    if (f.version.includes('2')) fields.push('', '', '', '', '', f.upn, '', '');
    if (f.dress) {
      const [i, how] = f.dress;
      fields[i] = how === 'quote' ? `"${fields[i]}"` : `${fields[i]}&amp;`;
    }
    return fields.join(';');
  });

/** FNV-1a of the key as cnm spells it, without its leading `/` (the owner lower-cased), as a signed 32-bit int. */
function fnv1a(blobKey: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(blobKey.slice(1))) h = Math.imul(h ^ b, 0x01000193);
  return h;
}

function fast(l: string) {
  // The line between two others, as a batch of the line stream has it.
  const buf = Buffer.from(`junk\n${l}\nmore`);
  const end = 5 + Buffer.byteLength(l);
  const lines = new AnalyticsLines();
  lines.scan(buf, [0, 4, 5, end, end + 1, end + 5]);
  const light = lines.light(1);
  // The lines around it are not requests, whatever the scanner's memory held before.
  expect(lines.light(0)).toBeUndefined();
  expect(lines.light(2)).toBeUndefined();
  const lightView = light && { ...light };
  const r = lines.record(1, 7, 'f.log', 3);
  // A line the fast path declines is not counted as a read by it either: the full parse judges it.
  if (!r) {
    expect(lightView).toBeUndefined();
    return undefined;
  }
  const view = {
    time: r.time,
    outcome: r.outcome,
    errorKey: r.errorKey,
    blobKey: r.blobKey,
    conditional: r.conditional,
    write: r.write,
    writer: r.write ? r.writer() : '',
    inert: r.inert,
  };
  r.keep();
  buf.fill(0);
  // The field starts it found, which the full parse takes instead of splitting the line again (let go once parsed).
  const portable = r.portable();
  const bounds = 'line' in portable ? portable.bounds : undefined;
  return { view, light: lightView, keyHash: r.keyHash, bounds, observed: r.observe() };
}

describe('the $logs fast path of cnm stats', () => {
  it('reads the same request as the full parse, for any line it accepts', () => {
    fc.assert(
      fc.property(line, (l) => {
        const full = parseAnalyticsLine(l, 7, 'f.log');
        const got = fast(l);
        if (!got) return;
        expect(full.ok).toBe(true);
        if (!full.ok) return;
        const r = recordOf(fromLogEntry(full.value, 3));
        const failure = r.outcome === 'failure';
        expect(got.view).toEqual({
          time: r.time,
          outcome: r.outcome,
          errorKey: failure ? r.errorKey : '',
          blobKey: r.blobKey,
          conditional: r.conditional,
          write: r.write,
          writer: r.write ? r.writer() : '',
          // No writing operation's success, and a status logged: it cannot have changed the blob.
          inert: (!r.write || full.value.status < 200 || full.value.status >= 300) && full.value.status !== 0,
        });
        // Kept before its buffer was reused: the whole request is still there.
        expect(got.observed).toEqual(fromLogEntry(full.value, 3));
        // Its field starts are the full parser's split of the line, where each byte is a character (elsewhere they
        // are counted in bytes, and the full parse splits the line itself).
        if (Buffer.byteLength(l) === l.length) expect(got.bounds).toEqual(fieldStarts(l));
        expect(got.keyHash).toBe(fnv1a(r.blobKey!));
        // A read that is neither a failure nor a 304 is counted from a few numbers, the same ones.
        if (r.outcome === 'other' && !r.write)
          expect(got.light).toEqual({ time: r.time, keyHash: got.keyHash, conditional: r.conditional });
        else expect(got.light).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a window of lines it splits carefully (a quote inside a field) in one pass over each line', () => {
    // Each field's `&` and `/` were looked for to the window's end: a 4 MB window of such lines took seconds.
    const line = (i: number) => {
      const f: string[] = new Array<string>(38).fill('');
      Object.assign(f, { 0: '2.0', 1: '2026-11-24T18:00:00.1234567Z', 2: 'GetBlob', 3: 'Success', 4: '200' });
      Object.assign(f, { 7: 'authenticated', 8: 'acct', 9: 'acct', 10: 'blob', 13: `id-${i}`, 15: '10.0.0.1:5' });
      f[11] = `"https://acct.blob.core.windows.net/c/b${i}"`;
      f[12] = `"/acct/c/b${i}"`;
      f[27] = 'ua"x"y';
      return f.join(';');
    };
    const lines = Array.from({ length: 20_000 }, (_, i) => line(i));
    const window = Buffer.from(`${lines.join('\n')}\n`);
    const spans: number[] = [];
    let at = 0;
    for (const l of lines) {
      spans.push(at, at + l.length);
      at += l.length + 1;
    }
    const fast = new AnalyticsLines();
    const started = performance.now();
    let read = 0;
    for (let from = 0; from < lines.length; from += AnalyticsLines.MAX_LINES) {
      const to = Math.min(lines.length, from + AnalyticsLines.MAX_LINES);
      fast.scan(window, spans, from, to);
      for (let l = from; l < to; l++) if (fast.light(l)) read++;
    }
    expect(read).toBe(lines.length);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('declines what it is not sure of: a truncated line, a URL object key, a version it does not know, a quoted operation', () => {
    expect(fast('2.0;2026-11-24T01:00:00.0000000Z;PutBlob;truncated')).toBeUndefined();
    const sample = fc.sample(line, { numRuns: 50, seed: 2 }).find((l) => l.startsWith('2.0;') && fast(l))!;
    expect(fast(sample.replace(/^2\.0;/, '2.5;'))).toBeUndefined();
    // A plain read the scanner alone would count (its LIGHT flag), dressed each way the full parse must judge.
    const read =
      '2.0;2026-11-24T18:00:00.1234567Z;GetBlob;Success;200;5;4;authenticated;acct;acct;blob;' +
      '"https://acct.blob.core.windows.net/c/b";"/acct/c/b";id-1;0;10.0.0.1:5000;2025-01-05;;;;;;;;;;;"ua";;c-1;;;;;;;;';
    expect(fast(read)?.light).toBeDefined();
    const fields = read.split(';');
    const dressed = (i: number, v: string) => fields.map((f, j) => (j === i ? v : f)).join(';');
    for (const version of ['2.5', '2.00', '1.0']) expect(fast(dressed(0, version))).toBeUndefined();
    for (const i of [2, 3, 7, 8, 9, 15]) expect(fast(dressed(i, `"${fields[i]}"`))).toBeUndefined();
    expect(fast(dressed(1, '2026-13-24T18:00:00.1234567Z'))).toBeUndefined();
    expect(fast(sample.replace(/^(2\.0;[^;]*;)(\w+);/, '$1"$2";'))).toBeUndefined();
    const url = fc
      .sample(line, { numRuns: 1, seed: 1 })[0]!
      .replace(/;"?\/[^;]*"?;id-1;/, ';"https://a.blob.core.windows.net/c/b";id-1;');
    expect(fast(url)).toBeUndefined();
  });

  it('a line the scanner cannot split is not read as the line its slot held in an earlier scan', () => {
    const read =
      '2.0;2026-11-24T18:00:00.1234567Z;GetBlob;Success;200;5;4;authenticated;acct;acct;blob;' +
      '"https://acct.blob.core.windows.net/c/b";"/acct/c/b";id-1;0;10.0.0.1:5000;2025-01-05;;;;;;;;;;;"ua";;c-1;;;;;;;;';
    // Two lines in a window of one length: the second line's slot in the scanner's memory is the same each time.
    const batch = (second: string) => {
      const buf = Buffer.alloc(4096, 0x20);
      buf.write(`${read}\n${second}`, 'latin1');
      const at = Buffer.byteLength(read) + 1;
      return [buf, [0, at - 1, at, at + Buffer.byteLength(second, 'latin1')]] as const;
    };
    const tooMany = `${read}${';'.repeat(12)}`;
    for (const bad of ['', 'x', '2.0;;;', '2.0;2026-11-24T01:00:00.0000000Z;PutBlob;truncated', tooMany]) {
      const scanner = new AnalyticsScanner();
      const lines = new AnalyticsLines(scanner);
      lines.scan(...batch(read));
      expect(lines.light(1)).toBeDefined();
      lines.scan(...batch(bad));
      expect(lines.light(1), JSON.stringify(bad.slice(0, 30))).toBeUndefined();
      expect(lines.record(1, 2, 'f.log', 0)).toBeUndefined();
      // A reader made afterwards with the same scanner shares its memory.
      const fresh = new AnalyticsLines(scanner);
      fresh.scan(...batch(bad));
      expect(fresh.light(1)).toBeUndefined();
    }
  });
});
