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

export interface StatsKqlInput {
  from: string;
  to: string;
  /** Bucket size in whole seconds. */
  bucketSeconds: number;
  /** `container/prefix` or `/account/container/prefix`. */
  blob?: string;
}

/**
 * `cnm stats --workspace`: the counting runs in the service. One row per bucket and distinct (operation, status,
 * blob, caller, user agent, identity, conditional or not), with its count and one request id to diagnose, so the
 * answer is as small as the workload's variety, not its volume. The caller's port is dropped (`ip:port` in
 * CallerIpAddress) so one client's connections count as one caller.
 */
export function buildStatsKql(i: StatsKqlInput): string {
  const prefix = i.blob
    ? i.blob.startsWith('/')
      ? `| where ObjectKey startswith ${kqlString(i.blob)}`
      : `| where strcat_array(array_slice(split(ObjectKey, "/"), 2, -1), "/") startswith ${kqlString(i.blob)}`
    : undefined;
  return [
    'StorageBlobLogs',
    `| where TimeGenerated between (datetime(${i.from}) .. datetime(${i.to}))`,
    `| where TimeGenerated < datetime(${i.to})`,
    ...(prefix ? [prefix] : []),
    '| extend CallerIp = iff(CallerIpAddress matches regex @"^[0-9.]+:[0-9]+$", tostring(split(CallerIpAddress, ":")[0]), CallerIpAddress)',
    '| extend Conditional = isnotempty(ConditionsUsed)',
    `| summarize Requests = count(), CorrelationId = take_any(CorrelationId) by TimeGenerated = bin(TimeGenerated, ${Math.max(1, i.bucketSeconds)}s), ` +
      'OperationName, StatusCode, StatusText, ObjectKey, CallerIpAddress = CallerIp, UserAgentHeader, ' +
      'AuthenticationType, RequesterObjectId, Conditional',
  ].join('\n');
}
