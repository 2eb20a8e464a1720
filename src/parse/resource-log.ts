/**
 * Azure Monitor resource-log records for Blob (`insights-logs-storage*` / PT1H.json; fields:
 * learn.microsoft.com/azure/storage/blobs/monitor-blob-storage-reference):
 * one JSON record a line, or (as some exports write them) a JSON array or one pretty-printed record.
 */
import { z } from 'zod';
import type { SourceLocation } from '../core/types.js';
import { fail, joinPath, ok, type Issue, type ParseResult } from '../core/issue.js';
import { elementLines } from './json-locate.js';
import {
  compact,
  errorCodeOf,
  identityOf,
  numberOf,
  parseConditionsUsed,
  splitObjectKey,
  statusOf,
  toIsoUtc,
} from './log-entry.js';
import { quoteEtag } from '../core/etag.js';
import type { LogEntry } from './types.js';

const text = z.string().optional().catch(undefined);

/** Missing, or there with the wrong type: each said as it is. */
const required = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

const recordSchema = z.object({
  time: z.string(required('a time, as text')).refine((t) => toIsoUtc(t) !== undefined, 'must be a time'),
  operationName: z.string(required('the operation name, as text')).min(1, 'must not be empty'),
  statusCode: z
    .union([z.number(), z.string()], required('an HTTP status'))
    .refine((s) => statusOf(s) !== undefined, 'must be an HTTP status or "Unknown"'),
  statusText: text,
  correlationId: text,
  callerIpAddress: text,
  uri: text,
  identity: z
    .object({
      type: text,
      tokenHash: text,
      requester: z.record(z.string(), z.unknown()).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  properties: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

type ResourceRecord = z.infer<typeof recordSchema>;

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `/account/…` from `properties.objectKey`, else the account from the `uri` host. */
function accountFromUri(uri: string | undefined): string | undefined {
  return uri && URL.canParse(uri) ? new URL(uri).hostname.split('.')[0] : undefined;
}

function toEntry(r: ResourceRecord, source: SourceLocation): LogEntry {
  const p = r.properties ?? {};
  const requester = r.identity?.requester ?? {};
  const objectKey = str(p.objectKey);
  const key = splitObjectKey(objectKey);
  return compact<LogEntry>({
    time: toIsoUtc(r.time)!,
    requestId: r.correlationId,
    clientRequestId: str(p.clientRequestId),
    operation: r.operationName,
    status: statusOf(r.statusCode)!,
    statusText: r.statusText,
    errorCode: errorCodeOf(r.statusText),
    url: r.uri,
    ...key,
    account: str(p.accountName) ?? key.account ?? accountFromUri(r.uri),
    objectKey,
    callerIp: r.callerIpAddress,
    userAgent: str(p.userAgentHeader),
    authType: r.identity?.type,
    requester: str(requester.upn) ?? str(requester.objectId) ?? str(requester.appId),
    identity: identityOf({
      authType: r.identity?.type,
      upn: str(requester.upn),
      objectId: str(requester.objectId),
      appId: str(requester.appId),
      hash: r.identity?.tokenHash,
    }),
    conditionsUsed: parseConditionsUsed(str(p.conditionsUsed)),
    etag: quoteEtag(str(p.etag) || undefined),
    lastModified: toIsoUtc(p.lastModifiedTime),
    contentLength: numberOf(p.contentLengthHeader),
    source,
  });
}

/** Validates one already-parsed record. */
export function parseResourceLogRecord(
  value: unknown,
  source: SourceLocation = { kind: 'resource-log' },
): ParseResult<LogEntry> {
  const result = recordSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    return fail(issue?.message ?? 'not a resource-log record', {
      file: source.file,
      line: source.line,
      path: joinPath(issue?.path ?? []) || undefined,
    });
  }
  return ok(toEntry(result.data, source));
}

/** One line of PT1H.json (one record a line). */
export function parseResourceLogLine(line: string, lineNo?: number, file?: string): ParseResult<LogEntry> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return fail('not a JSON record (truncated or malformed line)', { file, line: lineNo });
  }
  return parseResourceLogRecord(value, { kind: 'resource-log', file, line: lineNo });
}

/** A whole document: a JSON array of records, `{"records": [...]}` (Event Hubs style), or one record. */
export function parseResourceLogDocument(
  body: string,
  file?: string,
): ParseResult<{ entries: LogEntry[]; issues: Issue[] }> {
  let value: unknown;
  try {
    value = JSON.parse(body.replace(/^\uFEFF/, ''));
  } catch (err) {
    return fail(`not valid JSON (${(err as Error).message.split('\n')[0]})`, { file });
  }
  const wrapped = value && typeof value === 'object' && 'records' in value ? value.records : undefined;
  const records = Array.isArray(value) ? value : Array.isArray(wrapped) ? wrapped : [value];
  const lines = Array.isArray(value)
    ? elementLines(body, [])
    : Array.isArray(wrapped)
      ? elementLines(body, ['records'])
      : [1];
  const entries: LogEntry[] = [];
  const issues: Issue[] = [];
  records.forEach((r, i) => {
    const result = parseResourceLogRecord(r, { kind: 'resource-log', file, line: lines[i] });
    if (result.ok) entries.push(result.value);
    else issues.push(result.issue);
  });
  return ok({ entries, issues });
}
