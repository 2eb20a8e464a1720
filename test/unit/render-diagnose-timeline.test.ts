import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { DiagnoseReport, Writer } from '../../src/core/diagnose/types.js';
import { drawTimeline } from '../../src/render/diagnose-timeline.js';

const UA = 'azsdk-js-storage-blob/12.32.0 core-rest-pipeline/1.24.0 Node/20.19.0 OS/(x64-Linux-6.1.0-28-cloud-amd64)';
const writer = (time: string, etag: string | null, status: number, errorCode?: string): Writer => ({
  time: `2026-11-24T${time}Z`,
  operation: 'PutBlob',
  requestId: `r-${time}`,
  status,
  errorCode,
  etag,
  role: 'other',
  caller: 'acct @ 10.0.0.5:50000',
  userAgent: UA,
});

/** Only the keys the timeline reads. */
const report = {
  requestId: 'failed',
  request: { operation: 'PutBlob', time: '2026-11-24T18:00:00.000Z', caller: 'acct @ 10.0.0.4:1', userAgent: 'w/1' },
  response: { status: 412, errorCode: 'ConditionNotMet' },
  writers: [
    writer('17:59:00.000', '"0x1"', 201),
    writer('17:59:10.000', 'W/"datetime\'2026-11-24T17%3A59%3A10.0000000Z\'"', 200),
    writer('18:00:01.000', null, 412, 'LeaseIdMismatchWithBlobOperation'),
  ],
  timeline: { supplied: '"0x1"', note: 'n' },
  window: '5m',
} as unknown as DiagnoseReport;

describe('the terminal ETag timeline', () => {
  const lines = drawTimeline(report, { chalk: new Chalk({ level: 0 }), width: 240 });
  const rows = lines.filter((l) => /^ {2}[●•✖]/.test(l));

  it('keeps every column aligned whatever the length of each ETag and status', () => {
    expect(rows).toHaveLength(4);
    const starts = (find: (l: string) => number) => new Set(rows.map(find));
    expect(starts((l) => l.indexOf('PutBlob'))).toHaveProperty('size', 1);
    expect(starts((l) => l.search(/ (20[01]|412) /) + 1)).toHaveProperty('size', 1);
    expect(starts((l) => l.search(/ ("0x1"|W\/|supplied|—)/) + 1)).toHaveProperty('size', 1);
    expect(starts((l) => l.indexOf('acct @'))).toHaveProperty('size', 1);
  });

  it('shortens user agents at a word boundary (the JSON and the HTML keep them whole)', () => {
    const text = lines.join('\n');
    expect(text).toContain('azsdk-js-storage-blob/12.32.0…');
    expect(text).not.toContain('core-rest-pipeline');
  });
});
