import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/logs/read-capture-file.js';
import { readSource as readLogFile } from '../../src/logs/read-source.js';
import { scanLogFile } from '../../src/logs/scan-log-file.js';

function sequence() {
  let n = 0;
  return { next: () => n++ };
}

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cnm-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function temp(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('readCaptureFile: by content, whatever the extension', () => {
  it.each([
    ['captures/request.json', 'capture', 1, 0, [412]],
    ['captures/captures.ndjson', 'ndjson', 2, 2, [412, 201]],
    ['captures/trace.har', 'har', 1, 1, [412]],
    ['captures/trace-bom.har', 'har', 1, 1, [412]],
    ['captures/sdk-info.log', 'sdk-log', 1, 1, [412]],
    ['captures/azurite-debug.log', 'azurite-log', 1, 2, [412]],
  ])('%s → %s, %i capture(s) selected, %i skipped', async (path, format, count, skipped, statuses) => {
    const result = await readCaptureFile(fixture(path));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result).toMatchObject({ format, skipped });
    expect(result.captures).toHaveLength(count);
    expect(result.captures.map((c) => c.response?.status)).toEqual(statuses);
  });

  it('skipped lines are reported with file and line', async () => {
    const result = await readCaptureFile(fixture('captures/captures.ndjson'));
    expect(result.ok && result.issues.map((i) => [i.line, i.path])).toEqual([
      [4, 'request.url'],
      [5, undefined],
    ]);
  });

  it('a request id picks that request from a log, successful or not', async () => {
    const result = await readCaptureFile(fixture('captures/azurite-debug.log'), {
      requestId: '0f8d5c1a-3b2e-4d6f-8a9b-1c2d3e4f5a6b',
    });
    expect(result.ok && result.captures.map((c) => c.response?.status)).toEqual([201]);
  });

  it('a capture file is itself only when it carries the id asked for', async () => {
    // It was replayed whatever id was given (HAR and NDJSON said no request has it).
    const file = fixture('captures/request.json');
    const id = '470b9e55-201e-0137-5c45-cdd293000000';
    const other = await readCaptureFile(file, { requestId: '00000000-not-this-one' });
    expect(other.ok && other.captures).toEqual([]);
    const same = await readCaptureFile(file, { requestId: id.toUpperCase() });
    expect(same.ok && same.captures).toHaveLength(1);
  });

  it('all: true keeps every request of a log', async () => {
    const result = await readCaptureFile(fixture('captures/sdk-info.log'), { all: true });
    expect(result.ok && result.captures).toHaveLength(4);
  });

  it('an SDK log named .json is still an SDK log', async () => {
    const text = await import('node:fs/promises').then((fs) => fs.readFile(fixture('captures/sdk-info.log'), 'utf8'));
    const result = await readCaptureFile(temp('trace.json', text));
    expect(result.ok && result.format).toBe('sdk-log');
  });

  it.each([
    ['a missing file', join(dir, 'missing.json'), /^no such file$/],
    ['a directory', dir, /is a directory/],
    ['an empty file', 'empty', /^file is empty$/],
    ['a whitespace-only file', 'blank', /^file is empty$/],
    ['unrelated content', 'other', /^unrecognised content/],
    ['a $logs file', fixture('logs/analytics-samples.log'), /Storage Analytics \$logs file, not a capture/],
    ['an invalid capture', fixture('captures/request-missing-url.json'), /^is required$/],
  ])('%s → an issue, not a throw', async (_name, path, message) => {
    const file =
      path === 'empty'
        ? temp('e.json', '')
        : path === 'blank'
          ? temp('b.json', ' \n\n')
          : path === 'other'
            ? temp('o.txt', 'hello\n')
            : path;
    const result = await readCaptureFile(file);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issue.file).toBe(file);
      expect(result.issue.message).toMatch(message);
    }
  });

  it('an invalid capture issue carries line and path', async () => {
    const result = await readCaptureFile(fixture('captures/request-missing-url.json'));
    expect(!result.ok && result.issue).toMatchObject({ line: 2, path: 'request.url' });
  });
});

describe('readLogFile', () => {
  it.each([
    ['logs/analytics-mixed.log', 'analytics-log', 2, 4],
    ['logs/analytics-samples.log', 'analytics-log', 3, 0],
    ['logs/PT1H.json', 'resource-log', 3, 2],
    ['logs/resource-array.json', 'resource-log', 2, 1],
    ['logs/resource-record-pretty.json', 'resource-log', 1, 0],
  ])('%s → %s: %i entries, %i malformed lines skipped and counted', async (path, format, entries, skipped) => {
    const result = await readLogFile(fixture(path));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result).toMatchObject({ format, skipped });
    expect(result.entries).toHaveLength(entries);
  });

  it("diagnose's search parses only the lines holding a needle, with their real line numbers", async () => {
    const scan = await scanLogFile(fixture('logs/analytics-mixed.log'), ['acct.blob.core.windows.net'], sequence());
    // Line 3 is the 412; line 7 names the same account but has a bad status: counted, not kept.
    expect(scan.observed.map((o) => [o.source.line, o.status])).toEqual([[3, 412]]);
    expect(scan.skipped).toBe(1);
  });

  it('needles work on resource logs too', async () => {
    const scan = await scanLogFile(fixture('logs/PT1H.json'), ['ad881411-201e-004e-1c99-cfd67d000000'], sequence());
    expect(scan.observed.map((o) => o.status)).toEqual([304]);
  });

  it('a capture file among the logs yields its captures (all of them)', async () => {
    const result = await readLogFile(fixture('captures/azurite-debug.log'));
    expect(result.ok && [result.format, result.entries.length, result.captures.length]).toEqual(['azurite-log', 0, 3]);
  });

  it('an unreadable file is an issue', async () => {
    const result = await readLogFile(join(dir, 'nope.log'));
    expect(!result.ok && result.issue.message).toBe('no such file');
  });
});
