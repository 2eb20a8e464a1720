import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseResourceLogDocument,
  parseResourceLogLine,
  parseResourceLogRecord,
} from '../../src/parse/resource-log.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/logs/${name}`, import.meta.url), 'utf8');
const [realLine, , line412, line304, missingStatus, truncated] = fixture('PT1H.json').split('\n');

describe('resource-log record (PT1H.json)', () => {
  it('a real SetBlobMetadata record (public sample: shaN480/Dynatrace img/log1.sh) maps to a LogEntry', () => {
    const result = parseResourceLogLine(realLine!, 1, 'PT1H.json');
    expect(result).toEqual({
      ok: true,
      value: {
        time: '2023-12-12T12:12:19.135Z',
        requestId: '4dfed43b-801e-001e-47f4-2c3e77000000',
        clientRequestId: '7691b1b0-58a3-4ed3-86cd-8bd8bec67cac',
        operation: 'SetBlobMetadata',
        status: 200,
        statusText: 'Success',
        url: 'https://functiondynatracesa4ni6.blob.core.windows.net:443/azure-webjobs-eventhub/nippon.servicebus.windows.net/http/%24default/checkpoint/0?comp=metadata',
        account: 'functiondynatracesa4ni6',
        container: 'azure-webjobs-eventhub',
        blob: 'nippon.servicebus.windows.net/http/$default/checkpoint/0',
        objectKey:
          '/functiondynatracesa4ni6/azure-webjobs-eventhub/nippon.servicebus.windows.net/http/$default/checkpoint/0',
        callerIp: '10.50.0.204:38208',
        userAgent:
          'azsdk-net-Storage.Blobs/12.16.0 (.NET 6.0.25; Linux 5.15.131.1-2.cm2 #1 SMP Sun Sep 24 03:38:45 UTC 2023)',
        authType: 'AccountKey',
        // identity.tokenHash names the key that signed it (a hash, no secret): all there is for a key request.
        identity: 'account key key1(67F8F5A218837386F94E75FC7AAC530CD99957355C86E173D139401AC15D6011)',
        etag: '"0x8DBFB0B96816382"',
        // US-locale text in the JSON, read as UTC.
        lastModified: '2023-12-12T12:12:19.000Z',
        source: { kind: 'resource-log', file: 'PT1H.json', line: 1 },
      },
    });
  });

  it('a 412 record: error code, If-Match condition as the log renders it, OAuth requester', () => {
    const result = parseResourceLogLine(line412!, 3);
    expect(result.ok && result.value).toMatchObject({
      status: 412,
      errorCode: 'ConditionNotMet',
      conditionsUsed: { ifMatch: 'Thursday, 30-Jun-22 12:07:25 GMT' },
      requester: 'writer@contoso.com',
      identity: expect.stringMatching(/^writer@contoso\.com\b/),
      authType: 'OAuth',
      blob: 'dir/blob.json',
      lastModified: '2022-06-30T12:07:25.000Z',
      contentLength: 2,
    });
  });

  it('a 304 ConditionNotMet read keeps If-None-Match', () => {
    const result = parseResourceLogLine(line304!, 4);
    expect(result.ok && result.value).toMatchObject({
      status: 304,
      errorCode: 'ConditionNotMet',
      conditionsUsed: { ifNoneMatch: 'Monday, 12-May-25 06:18:23 GMT' },
    });
  });

  it.each([
    ['a record without statusCode', missingStatus!, 'statusCode', 'is required'],
    ['a truncated line', truncated!, undefined, 'not a JSON record (truncated or malformed line)'],
    [
      'a statusCode that is no status',
      '{"time":"2026-01-01T00:00:00Z","operationName":"PutBlob","statusCode":"x"}',
      'statusCode',
      'must be an HTTP status',
    ],
    ['JSON that is not an object', '[1]', undefined, 'expected object'],
    [
      'an operationName that is there but not text (not "required")',
      '{"time":"2026-01-01T00:00:00Z","operationName":5,"statusCode":200}',
      'operationName',
      'must be the operation name, as text',
    ],
    [
      'a statusCode that is null',
      '{"time":"2026-01-01T00:00:00Z","operationName":"PutBlob","statusCode":null}',
      'statusCode',
      'must be an HTTP status',
    ],
  ])('%s → issue', (_name, line, path, message) => {
    const result = parseResourceLogLine(line, 9, 'PT1H.json');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issue.path).toBe(path);
      expect(result.issue.message).toContain(message);
      expect(result.issue.line).toBe(9);
    }
  });

  it('statusCode "Unknown" becomes 0', () => {
    const result = parseResourceLogRecord({
      time: '2026-01-01T00:00:00Z',
      operationName: 'GetBlob',
      statusCode: 'Unknown',
    });
    expect(result.ok && result.value.status).toBe(0);
  });
});

describe('resource-log documents', () => {
  it('a JSON array: valid records become entries with their line, invalid ones are issues', () => {
    const result = parseResourceLogDocument(fixture('resource-array.json'), 'a.json');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.entries.map((e) => [e.operation, e.source.line])).toEqual([
      ['SetBlobMetadata', 2],
      ['PutBlob', 37],
    ]);
    expect(result.value.issues).toHaveLength(1);
  });

  it.each([
    ['one pretty-printed record', 'resource-record-pretty.json', 1],
    ['{"records": [...]}', 'resource-records-wrapper.json', 2],
  ])('%s', (_name, file, count) => {
    const result = parseResourceLogDocument(fixture(file), file);
    expect(result.ok && result.value.entries).toHaveLength(count);
  });

  it('broken JSON → issue', () => {
    expect(parseResourceLogDocument('[{"time": ', 'x.json').ok).toBe(false);
  });
});
