import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatOf, headOf } from '../../src/parse/formats.js';

const detectFormat = (head: string) => formatOf(headOf(head))?.format;

const read = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');

describe('format detection by content', () => {
  it.each([
    ['captures/request.json', 'capture'],
    ['captures/request-missing-url.json', 'capture'],
    ['captures/captures.ndjson', 'ndjson'],
    ['captures/trace.har', 'har'],
    ['captures/trace-bom.har', 'har'],
    ['captures/har-no-entries.har', 'har'],
    ['captures/sdk-info.log', 'sdk-log'],
    ['captures/azurite-debug.log', 'azurite-log'],
    ['logs/analytics-samples.log', 'analytics-log'],
    ['logs/analytics-more-published.log', 'analytics-log'],
    ['logs/PT1H.json', 'resource-log'],
    ['logs/resource-array.json', 'resource-log'],
    ['logs/resource-record-pretty.json', 'resource-log'],
    ['logs/resource-records-wrapper.json', 'resource-log'],
  ])('%s → %s', (path, format) => {
    expect(detectFormat(read(path))).toBe(format);
  });

  it.each([
    ['a HAR cut off after 200 bytes', read('captures/trace.har').slice(0, 200), 'har'],
    ['a minified HAR cut off mid-entry', JSON.stringify(JSON.parse(read('captures/trace.har'))).slice(0, 300), 'har'],
    ['a pretty capture cut off', read('captures/request.json').slice(0, 120), 'capture'],
    ['a single-line capture', '{"request":{"method":"GET","url":"https://a/c"}}\n', 'capture'],
    ['CRLF $logs', read('logs/analytics-samples.log').replace(/\n/g, '\r\n'), 'analytics-log'],
  ])('%s → %s', (_name, head, format) => {
    expect(detectFormat(head)).toBe(format);
  });

  it.each([
    ['plain text', 'hello world\n'],
    ['a JSON number', '42'],
    ['an unrelated JSON object', '{"name": "cnm", "version": "0.1.0"}'],
    ['a CSV', 'TimeGenerated,OperationName\n2026-01-01,PutBlob\n'],
  ])('%s → undefined', (_name, head) => {
    expect(detectFormat(head)).toBeUndefined();
  });
});
