/**
 * KQL for `--workspace`: find the request by CorrelationId (= x-ms-request-id: not documented, but every record
 * seen holds it there) or ClientRequestId, and the same blob's requests around it — all in one query that runs
 * in the service, so only the rows needed come back. Pure.
 */
const COLUMNS = [
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
  'AuthenticationHash',
  'RequesterUpn',
  'RequesterObjectId',
  'RequesterAppId',
  'ConditionsUsed',
  'Etag',
  'LastModifiedTime',
  'ContentLengthHeader',
];

/** A KQL string literal; ids are UUID-like, but a pasted id is still user input. */
export function kqlString(value: string): string {
  return `"${value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[\r\n]/g, ' ')}"`;
}

export interface KqlInput {
  id: string;
  from: string;
  to: string;
  windowMs: number;
  /** Rows kept for the blob's history; a hot blob can have thousands in a window. */
  limit?: number;
}

export function buildDiagnoseKql(i: KqlInput): string {
  const id = kqlString(i.id);
  const seconds = Math.max(1, Math.round(i.windowMs / 1000));
  return [
    'let hits = StorageBlobLogs',
    `| where TimeGenerated between (datetime(${i.from}) .. datetime(${i.to}))`,
    `| where CorrelationId == ${id} or ClientRequestId == ${id};`,
    'let keys = hits | distinct ObjectKey;',
    'let t0 = toscalar(hits | summarize max(TimeGenerated));',
    'StorageBlobLogs',
    `| where TimeGenerated between ((t0 - ${seconds}s) .. (t0 + ${seconds}s))`,
    '| where ObjectKey in (keys)',
    '| union hits',
    `| project ${COLUMNS.join(', ')}`,
    '| order by TimeGenerated asc',
    `| take ${i.limit ?? 5000}`,
  ].join('\n');
}
