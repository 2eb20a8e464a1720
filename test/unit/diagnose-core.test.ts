import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDiagnoseReport } from '../../src/core/diagnose/build-report.js';
import { recogniseContention } from '../../src/core/diagnose/contention.js';
import { fromLogEntry, pickTarget } from '../../src/core/diagnose/observed.js';
import { etagSecond, inWindow } from '../../src/core/diagnose/timeline.js';
import { parseDuration, parseTimeArg } from '../../src/core/diagnose/time-options.js';
import type { Observed } from '../../src/core/diagnose/types.js';
import { parseAnalyticsLine } from '../../src/parse/storage-analytics-log.js';

const ID = '470b9e55-201e-0137-5c45-cdd293000000';
const lines = readFileSync(new URL('../fixtures/diagnose/race.log', import.meta.url), 'utf8').split('\n');
const observed = lines.flatMap((l, i) => {
  const r = parseAnalyticsLine(l, i + 1, 'race.log');
  return r.ok ? [fromLogEntry(r.value, i)] : [];
});
const base = {
  version: 't',
  id: ID,
  windowMs: 300_000,
  window: '5m',
  searched: { sources: ['race.log'], files: 1, bytes: 1, skippedLines: 0 },
  sourceArgs: ['--logs', 'race.log'],
};

describe('diagnose core, from a $logs race', () => {
  const r = buildDiagnoseReport({ ...base, observed })!;

  it('If-Match logged as a date → matched to the write of that second, stale-etag, and says the ETag string is not in the logs', () => {
    expect(r.cause?.code).toBe('stale-etag');
    expect(r.timeline).toMatchObject({
      suppliedAs: 'date',
      inferredEtag: '"0x8DECE5F6A1B2C30"',
      currentAtFailure: '"0x8DECE5F6A1B2C31"',
    });
    expect(r.timeline.note).toMatch(/exact ETag string the client sent is not in the logs/);
    expect(r.conditions[0]).toMatchObject({ header: 'if-match', holds: false });
  });

  it('writers are the other requests on the same blob in ±5m, oldest first, with who produced and who replaced the ETag', () => {
    expect(r.writers.map((w) => [w.operation, w.role])).toEqual([
      ['PutBlob', 'produced-supplied-etag'],
      ['SetBlobMetadata', 'replaced-supplied-etag'],
      ['PutBlob', 'same-client-request'],
    ]);
    expect(r.writers.every((w) => w.requestId !== '44444444-201e-0137-5c45-cdd293000000')).toBe(true);
    for (const key of ['time', 'operation', 'requestId', 'clientRequestId', 'caller', 'userAgent', 'status', 'etag'])
      expect(r.writers[0]).toHaveProperty(key);
  });

  it('a client request id finds the retry chain and picks its last failed attempt', () => {
    const byClient = buildDiagnoseReport({ ...base, id: 'aaaaaaaa-0000-4000-8000-000000000003', observed })!;
    expect(byClient.requestId).toBe('470b9e55-901e-0137-5c45-cdd293000000');
    expect(byClient.retries.map((w) => w.requestId)).toEqual([ID]);
  });

  it('the report has every documented diagnose key and the replay line', () => {
    for (const key of [
      'requestId',
      'source',
      'request',
      'response',
      'atFailure',
      'conditions',
      'cause',
      'steps',
      'writers',
      'fix',
    ])
      expect(r).toHaveProperty(key);
    expect(r.steps.map((s) => s.title)).toEqual([
      'Capture the request',
      'Compare supplied and server values',
      'Trace concurrent writers',
      'Retest',
    ]);
    expect(r.fix.at(-1)).toMatch(/cnm replay capture\.json/);
    expect(r.capture.request.headers['if-match']).toBe('"0x8DECE5F6A1B2C30"');
  });

  it('an id in no source → undefined (the command makes it exit 4)', () => {
    expect(buildDiagnoseReport({ ...base, id: 'nope', observed })).toBeUndefined();
  });
});

describe('expected contention by blob path', () => {
  it.each([
    ['ns.servicebus.windows.net', 'ns.servicebus.windows.net/hub/$default/ownership/3', 'event-hubs-ownership', true],
    ['azure-webjobs-hosts', 'locks/myhost/host', 'functions-singleton', true],
    ['tfstate', 'prod.terraform.tfstate', 'terraform-state', false],
    ['azure-webjobs-secrets', 'site/host.json', 'functions-secrets', false],
  ])('%s/%s → %s', (c, n, kind, expected) => {
    expect(recogniseContention(c, n)).toMatchObject({ kind, expected });
  });
  it('an ordinary blob is not contention', () => expect(recogniseContention('data', 'manifest.json')).toBeUndefined());
});

describe('time helpers', () => {
  it.each([
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['90s', 90_000],
    ['2d', 172_800_000],
  ])('%s → %d ms', (t, ms) => expect(parseDuration(t)).toEqual({ ok: true, value: ms }));
  it('rejects a non-duration', () => expect(parseDuration('5 minutes').ok).toBe(false));
  it('--since 2h is two hours before now; ISO without a zone is UTC', () => {
    const now = new Date('2026-11-24T18:00:00Z');
    expect(parseTimeArg('2h', now)).toEqual({ ok: true, value: '2026-11-24T16:00:00.000Z' });
    expect(parseTimeArg('2026-11-24T17:00', now)).toEqual({ ok: true, value: '2026-11-24T17:00:00.000Z' });
  });
  it('Azure ETags read as .NET ticks give Last-Modified (public log samples)', () => {
    expect(new Date(etagSecond('"0x8DA5A9118CDE874"')! * 1000).toISOString()).toBe('2022-06-30T12:07:25.000Z');
    expect(etagSecond('"0x23AC78C754211A0"')).toBeUndefined();
  });
});

/** Random histories of one blob: times in a two-hour span, random writes and failures. */
const history = fc.array(
  fc.record({ t: fc.integer({ min: 0, max: 7_200_000 }), write: fc.boolean(), fail: fc.boolean() }),
  { minLength: 1, maxLength: 40 },
);

function toObserved(h: Array<{ t: number; write: boolean; fail: boolean }>): Observed[] {
  return h.map((x, i) => ({
    order: i,
    time: new Date(Date.UTC(2026, 10, 24, 17) + x.t).toISOString(),
    requestId: `id-${i}`,
    operation: x.write ? 'PutBlob' : 'GetBlob',
    status: x.fail ? 412 : x.write ? 201 : 200,
    ...(x.fail ? { errorCode: 'ConditionNotMet' } : { etag: `"0x${i}"` }),
    blobKey: '/a/c/b',
    source: { kind: 'analytics-log' as const, line: i + 1 },
  }));
}

describe('timeline properties', () => {
  it('writers are sorted oldest first, never include the failure itself, and every one in the window is reported', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 1, max: 3_600_000 }), (h, windowMs) => {
        const all = toObserved(h);
        const target = pickTarget(all, 'id-0').target!;
        const r = buildDiagnoseReport({ ...base, id: 'id-0', windowMs, observed: all })!;
        const times = r.writers.map((w) => w.time!);
        expect([...times].sort()).toEqual(times);
        expect(r.writers.some((w) => w.requestId === 'id-0')).toBe(false);
        const expected = all.filter((o) => o !== target && inWindow(o, target, windowMs)).length;
        const special = r.writers.filter(
          (w) => w.role === 'produced-supplied-etag' || w.role === 'replaced-supplied-etag',
        ).length;
        expect(r.writers.length).toBeGreaterThanOrEqual(expected);
        expect(r.writers.length).toBeLessThanOrEqual(expected + special);
      }),
    );
  });

  it('the state at the failure is the latest success before it', () => {
    fc.assert(
      fc.property(history, (h) => {
        const all = toObserved(h);
        const r = buildDiagnoseReport({ ...base, id: 'id-0', observed: all })!;
        const t0 = all[0]!.time!;
        const before = all.filter(
          (o, i) => i > 0 && o.status < 300 && (o.time! < t0 || (o.time === t0 && o.order < 0)),
        );
        const last = before.sort((a, b) => (a.time! < b.time! ? -1 : a.time! > b.time! ? 1 : a.order - b.order)).at(-1);
        expect(r.atFailure.etag).toBe(last?.etag);
      }),
    );
  });
});

describe('writers[] keys', () => {
  it('caller and etag are null when unknown, never left out', async () => {
    const { toWriter } = await import('../../src/core/diagnose/timeline.js');
    const o: Observed = { order: 1, operation: 'PutBlob', status: 412, source: { kind: 'capture' } };
    const w = toWriter(o, 'other', o);
    expect(w).toHaveProperty('caller', null);
    expect(w).toHaveProperty('etag', null);
    expect(toWriter({ ...o, caller: '10.0.0.4', etag: '"0x1"' }, 'other', o)).toMatchObject({
      caller: '10.0.0.4',
      etag: '"0x1"',
    });
  });
});
