/**
 * Capture-line files under `diagnose --logs` (NDJSON, Azurite debug log, SDK log) are searched without keeping
 * every capture: the two passes must find what a full parse finds, and keep only what the diagnosis needs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carriesId, fromCapture, pickTarget, sortObserved } from '../../src/core/diagnose/observed.js';
import { inWindow } from '../../src/core/diagnose/timeline.js';
import type { Observed } from '../../src/core/diagnose/types.js';
import { readCaptureFile } from '../../src/logs/read-capture-file.js';
import { detectFile } from '../../src/logs/read-source.js';
import { idNeedles } from '../../src/logs/local-source.js';
import { scanCaptureLines, widenCaptureLines } from '../../src/logs/scan-capture-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-caplines-'));
const WINDOW = 5 * 60_000;
let n = 0;

function seq() {
  let k = 0;
  return { next: () => k++ };
}

/** What the diagnosis uses: the id's captures, and the captures on the target's blob within the window. */
function relevant(all: readonly Observed[], id: string): string[] {
  const { target } = pickTarget(all, id);
  if (!target) return [];
  const used = all.filter((o) => carriesId(o, id) || (o.blobKey === target.blobKey && inWindow(o, target, WINDOW)));
  return sortObserved(used).map((o) =>
    JSON.stringify([o.requestId, o.clientRequestId, o.status, o.operation, o.time, o.source.line, o.etag]),
  );
}

async function oldWay(file: string, id: string): Promise<string[]> {
  const read = await readCaptureFile(file, { all: true });
  if (!read.ok) throw new Error(read.issue.message);
  return relevant(
    read.captures.map((c, i) => fromCapture(c, i)),
    id,
  );
}

async function newWay(file: string, id: string): Promise<{ keys: string[]; kept: number }> {
  const s = seq();
  const detected = await detectFile(file, 'a capture-line file');
  const entry = detected.ok ? detected.entry : undefined;
  if (entry?.shape !== 'lines' || entry.yields !== 'captures')
    throw new Error(`not a capture-line file: ${entry?.format}`);
  const scan = await scanCaptureLines(file, entry, idNeedles(id), s);
  const { target } = pickTarget(scan.observed, id);
  const more = target ? await widenCaptureLines(scan, target, WINDOW) : [];
  return { keys: relevant([...scan.observed, ...more], id), kept: scan.observed.length + more.length };
}

async function idsOf(file: string): Promise<string[]> {
  const read = await readCaptureFile(file, { all: true });
  if (!read.ok) return [];
  const ids = read.captures.flatMap((c) => [
    c.response?.headers['x-ms-request-id'],
    c.request.headers['x-ms-client-request-id'],
  ]);
  return [...new Set(ids.filter((x): x is string => Boolean(x)))];
}

const uuid = (k: number, salt = 0) =>
  `${(k * 7919 + salt).toString(16).padStart(8, '0')}-3b2e-4d6f-8a9b-${k.toString(16).padStart(12, '0')}`;

/** An Azurite debug log: requests on a few blobs, interleaved, End lines out of time order, retries sharing a client id. */
function azuriteLog(
  reqs: Array<{ blob: number; status: number; retryOf?: number; openEnd?: boolean; gapMs: number }>,
  start = Date.UTC(2026, 10, 24, 19),
): string {
  const lines: string[] = ['2026-11-24T19:00:00.000Z \t info: Azurite Blob service is starting on 127.0.0.1:10000'];
  let t = start;
  const pendingEnds: string[] = [];
  reqs.forEach((r, k) => {
    t += r.gapMs;
    const ctx = uuid(k, 1);
    const client = uuid(r.retryOf ?? k, 2);
    const iso = new Date(t).toISOString();
    const headers = {
      'x-ms-version': '2026-10-06',
      'if-match': '"0x1"',
      'x-ms-client-request-id': client,
      'user-agent': 'ua/1',
      host: '127.0.0.1:10000',
    };
    lines.push(
      `${iso} ${ctx} info: BlobStorageContextMiddleware: RequestMethod=PUT RequestURL=http://127.0.0.1/devstoreaccount1/c/b${r.blob}.json RequestHeaders:${JSON.stringify(headers)} ClientIP=10.0.0.${k % 250} Protocol=http HTTPVersion=1.1`,
    );
    lines.push(`${iso} ${ctx} info: DispatchMiddleware: Operation=BlockBlob_Upload`);
    const end: string[] = [];
    if (r.status === 412)
      end.push(`${iso} ${ctx} error: ErrorMiddleware: Set HTTP Header: x-ms-error-code=ConditionNotMet`);
    const res =
      r.status === 201
        ? { etag: `"0x${k}"`, 'x-ms-request-id': ctx, 'x-ms-client-request-id': client }
        : { 'x-ms-request-id': ctx };
    end.push(
      `${iso} ${ctx} info: EndMiddleware: End response. TotalTimeInMS=3 StatusCode=${r.status} StatusMessage=x Headers=${JSON.stringify(res)}`,
    );
    if (r.openEnd) return;
    // Every other response is logged after the next request's lines.
    lines.push(...pendingEnds.splice(0));
    if (k % 2) pendingEnds.push(...end);
    else lines.push(...end);
  });
  lines.push(...pendingEnds);
  return `${lines.join('\n')}\n`;
}

function ndjson(reqs: Array<{ blob: number; status: number; gapMs: number }>): string {
  let t = Date.UTC(2026, 10, 24, 19);
  return (
    reqs
      .map((r, k) => {
        t += r.gapMs;
        return JSON.stringify({
          request: {
            method: 'PUT',
            url: `https://acct.blob.core.windows.net/c/b${r.blob}.json`,
            time: new Date(t).toISOString(),
            headers: { 'x-ms-client-request-id': uuid(k, 2) },
          },
          response: {
            status: r.status,
            headers: { 'x-ms-request-id': uuid(k, 1), ...(r.status === 201 ? { etag: `"0x${k}"` } : {}) },
          },
        });
      })
      .join('\n') + '\n'
  );
}

const req = fc.record({
  blob: fc.integer({ min: 0, max: 3 }),
  status: fc.constantFrom(201, 412, 404),
  gapMs: fc.constantFrom(5, 1000, 90_000, 400_000),
  openEnd: fc.boolean(),
});

describe('capture-line files: the streamed passes find what a full parse finds', () => {
  for (const fixture of ['azurite-debug.log', 'sdk-info.log', 'captures.ndjson']) {
    it(`on the fixture ${fixture}, for every id in it`, async () => {
      const file = join('test/fixtures/captures', fixture);
      const ids = await idsOf(file);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect((await newWay(file, id)).keys, id).toEqual(await oldWay(file, id));
    });
  }

  it('on generated Azurite debug logs (interleaved, out of order, retries, missing responses), for every id', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ r: req, retry: fc.boolean() }), { minLength: 1, maxLength: 25 }),
        async (rs) => {
          const file = join(dir, `a${n++}.log`);
          writeFileSync(
            file,
            azuriteLog(
              rs.map(({ r, retry }, k) => ({
                ...r,
                openEnd: r.openEnd && k % 5 === 0,
                retryOf: retry && k > 0 ? k - 1 : undefined,
              })),
            ),
          );
          for (const id of await idsOf(file)) expect((await newWay(file, id)).keys, id).toEqual(await oldWay(file, id));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('on generated NDJSON, for every id', async () => {
    // Two lines at least: a single capture is a capture JSON, not NDJSON.
    await fc.assert(
      fc.asyncProperty(fc.array(req, { minLength: 2, maxLength: 25 }), async (rs) => {
        const file = join(dir, `n${n++}.ndjson`);
        writeFileSync(file, ndjson(rs));
        for (const id of await idsOf(file)) expect((await newWay(file, id)).keys, id).toEqual(await oldWay(file, id));
      }),
      { numRuns: 40 },
    );
  });
});

describe('capture-line files: what is kept does not grow with the file', () => {
  /** A race on b0.json in the middle of `unrelated` requests on other blobs and on b0 hours away. */
  function big(unrelated: number) {
    const before = Array.from({ length: unrelated }, (_, k) => ({ blob: 1 + (k % 50), status: 201, gapMs: 50 }));
    const far = [{ blob: 0, status: 201, gapMs: 3 * 3_600_000 }];
    const race = [
      { blob: 0, status: 201, gapMs: 3 * 3_600_000 },
      { blob: 0, status: 201, gapMs: 1000 },
      { blob: 0, status: 412, gapMs: 1000 },
    ];
    const after = Array.from({ length: unrelated }, (_, k) => ({ blob: 1 + (k % 50), status: 201, gapMs: 50 }));
    return [...before, ...far, ...before, ...race, ...after, ...far];
  }

  for (const format of ['azurite-log', 'ndjson'] as const) {
    it(`${format}: the same captures are retained for 2 000 and 20 000 unrelated requests`, async () => {
      const kept: number[] = [];
      for (const unrelated of [2_000, 20_000]) {
        const reqs = big(unrelated);
        const file = join(dir, `big${n++}`);
        writeFileSync(file, format === 'ndjson' ? ndjson(reqs) : azuriteLog(reqs));
        const failed = reqs.findIndex((r) => r.status === 412);
        const { keys, kept: k } = await newWay(file, uuid(failed, 1));
        expect(keys).toHaveLength(3);
        kept.push(k);
      }
      expect(kept).toEqual([3, 3]);
    });
  }
});
