/** Whole JSON documents are read whole: above the limit they are refused with one clear message, not risked in memory. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/logs/read-capture-file.js';
import { readSource as readLogFile } from '../../src/logs/read-source.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-docsize-'));
const pad = ' '.repeat(2 * 2 ** 20);

describe('document size guard', () => {
  afterEach(() => {
    delete process.env.CNM_MAX_DOCUMENT_MB;
  });

  it('a HAR over the limit is an issue naming the size and the limit', async () => {
    const file = join(dir, 'big.har');
    writeFileSync(file, `{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[]${pad}}}`);
    process.env.CNM_MAX_DOCUMENT_MB = '1';
    const r = await readCaptureFile(file, { all: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue.message).toMatch(/a HAR file of 2 MB is too large to read whole \(limit 1 MB/);
    delete process.env.CNM_MAX_DOCUMENT_MB;
    expect((await readCaptureFile(file, { all: true })).ok).toBe(true);
  });

  it('a resource-log array over the limit is an issue', async () => {
    const file = join(dir, 'PT1H-array.json');
    writeFileSync(
      file,
      `[\n{"time":"2026-11-24T19:00:00Z","category":"StorageWrite","operationName":"PutBlob","statusCode":201}\n${pad}]`,
    );
    process.env.CNM_MAX_DOCUMENT_MB = '1';
    const r = await readLogFile(file);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue.message).toMatch(/too large to read whole/);
  });
});
