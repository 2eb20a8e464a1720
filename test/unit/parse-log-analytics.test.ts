import { describe, expect, it } from 'vitest';
import { parseLogAnalyticsRow, parseLogAnalyticsTable } from '../../src/parse/log-analytics-table.js';

const columns = [
  'TimeGenerated',
  'OperationName',
  'StatusCode',
  'StatusText',
  'CorrelationId',
  'ClientRequestId',
  'Uri',
  'AccountName',
  'ObjectKey',
  'CallerIpAddress',
  'UserAgentHeader',
  'AuthenticationType',
  'RequesterUpn',
  'RequesterObjectId',
  'ConditionsUsed',
  'Etag',
  'LastModifiedTime',
  'ContentLengthHeader',
  'AuthorizationDetails',
].map((name) => ({ name, type: 'string' }));

const failedRow = [
  new Date('2026-11-24T18:00:00.123Z'),
  'PutBlob',
  '412',
  'ConditionNotMet',
  '470b9e55-201e-0137-5c45-cdd293000000',
  '1a512768-8cde-4970-bd95-8367bae4dd7b',
  'https://acct.blob.core.windows.net:443/c/blob.json',
  'acct',
  '/acct/c/blob.json',
  '10.0.0.4:50000',
  'azsdk-js-azure-storage-blob/12.32.0',
  'OAuth',
  null,
  'e5981635-dcf0-4279-ab7b-ca1cbdf4a5c7',
  'If-Match=Thursday, 30-Jun-22 12:07:25 GMT',
  '"0x8DA5A9118CDE874"',
  new Date('2022-06-30T12:07:25Z'),
  2,
  [{ action: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write' }],
];

describe('Log Analytics StorageBlobLogs rows', () => {
  it('a 412 row: StatusCode string → number, CorrelationId → requestId, Date cells → ISO, null cells dropped', () => {
    const { entries, issues } = parseLogAnalyticsTable({ columnDescriptors: columns, rows: [failedRow] });
    expect(issues).toEqual([]);
    expect(entries).toEqual([
      {
        time: '2026-11-24T18:00:00.123Z',
        requestId: '470b9e55-201e-0137-5c45-cdd293000000',
        clientRequestId: '1a512768-8cde-4970-bd95-8367bae4dd7b',
        operation: 'PutBlob',
        status: 412,
        statusText: 'ConditionNotMet',
        errorCode: 'ConditionNotMet',
        url: 'https://acct.blob.core.windows.net:443/c/blob.json',
        account: 'acct',
        container: 'c',
        blob: 'blob.json',
        objectKey: '/acct/c/blob.json',
        callerIp: '10.0.0.4:50000',
        userAgent: 'azsdk-js-azure-storage-blob/12.32.0',
        authType: 'OAuth',
        requester: 'e5981635-dcf0-4279-ab7b-ca1cbdf4a5c7',
        identity: 'object id e5981635-dcf0-4279-ab7b-ca1cbdf4a5c7',
        conditionsUsed: { ifMatch: 'Thursday, 30-Jun-22 12:07:25 GMT' },
        etag: '"0x8DA5A9118CDE874"',
        lastModified: '2022-06-30T12:07:25.000Z',
        contentLength: 2,
        source: { kind: 'log-analytics', line: 1 },
      },
    ]);
  });

  it('ISO strings work as well as Date cells (REST results are strings)', () => {
    const result = parseLogAnalyticsRow({
      TimeGenerated: '2026-11-24T18:00:00Z',
      OperationName: 'GetBlob',
      StatusCode: 'Unknown',
      StatusText: 'ClientOtherError',
    });
    expect(result.ok && result.value).toMatchObject({
      time: '2026-11-24T18:00:00.000Z',
      status: 0,
      statusText: 'ClientOtherError',
    });
    expect(result.ok && result.value.errorCode).toBeUndefined();
  });

  it.each([
    ['no TimeGenerated', { OperationName: 'GetBlob', StatusCode: '200' }, 'TimeGenerated'],
    [
      'an unparseable TimeGenerated',
      { TimeGenerated: 'x', OperationName: 'GetBlob', StatusCode: '200' },
      'TimeGenerated',
    ],
    ['no OperationName', { TimeGenerated: '2026-01-01T00:00:00Z', StatusCode: '200' }, 'OperationName'],
    [
      'a StatusCode that is no status',
      { TimeGenerated: '2026-01-01T00:00:00Z', OperationName: 'GetBlob', StatusCode: 'OK' },
      'StatusCode',
    ],
  ])('a row with %s is an issue naming the column, and the table keeps going', (_name, row, path) => {
    const result = parseLogAnalyticsRow(row);
    expect(!result.ok && result.issue.path).toBe(path);
    const names = Object.keys(row).map((name) => ({ name }));
    const table = parseLogAnalyticsTable({ columnDescriptors: names, rows: [Object.values(row), Object.values(row)] });
    expect(table.issues.map((i) => i.line)).toEqual([1, 2]);
  });
});
