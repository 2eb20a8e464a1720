/**
 * Rows of a Log Analytics `StorageBlobLogs` query → LogEntry (the table's columns:
 * learn.microsoft.com/azure/azure-monitor/reference/tables/storagebloblogs). Rows come from
 * @azure/monitor-query-logs as a `LogsTable` (column descriptors + positional rows; `datetime` cells are
 * Dates, `dynamic` cells parsed JSON); the shape is declared here so this module stays free of @azure/*.
 */
import { z } from 'zod';
import type { SourceLocation } from '../core/types.js';
import { fail, joinPath, ok, type Issue, type ParseResult } from '../core/issue.js';
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

/** The part of @azure/monitor-query-logs' LogsTable this parser reads. */
export interface LogsTableLike {
  columnDescriptors: ReadonlyArray<{ name?: string }>;
  rows: ReadonlyArray<ReadonlyArray<unknown>>;
}

const text = z.string().optional().catch(undefined);

const rowSchema = z.object({
  TimeGenerated: z
    .union([z.date(), z.string()], { error: 'is required' })
    .refine((t) => toIsoUtc(t) !== undefined, 'must be a time'),
  OperationName: z.string({ error: 'is required' }).min(1, 'must not be empty'),
  // StatusCode is a string column ("412", "Unknown"), not a number (the StorageBlobLogs schema).
  StatusCode: z
    .union([z.string(), z.number()], { error: 'is required' })
    .refine((s) => statusOf(s) !== undefined, 'must be an HTTP status or "Unknown"'),
  StatusText: text,
  CorrelationId: text,
  ClientRequestId: text,
  Uri: text,
  AccountName: text,
  ObjectKey: text,
  CallerIpAddress: text,
  UserAgentHeader: text,
  AuthenticationType: text,
  AuthenticationHash: text,
  RequesterUpn: text,
  RequesterObjectId: text,
  RequesterAppId: text,
  ConditionsUsed: text,
  Etag: text,
  LastModifiedTime: z.union([z.date(), z.string()]).optional().catch(undefined),
  ContentLengthHeader: z.union([z.number(), z.string()]).optional().catch(undefined),
});

type Row = z.infer<typeof rowSchema>;

function toEntry(r: Row, source: SourceLocation): LogEntry {
  const key = splitObjectKey(r.ObjectKey);
  return compact<LogEntry>({
    time: toIsoUtc(r.TimeGenerated)!,
    // CorrelationId holds x-ms-request-id (not documented, but every record seen carries the server request id there).
    requestId: r.CorrelationId,
    clientRequestId: r.ClientRequestId,
    operation: r.OperationName,
    status: statusOf(r.StatusCode)!,
    statusText: r.StatusText,
    errorCode: errorCodeOf(r.StatusText),
    url: r.Uri,
    ...key,
    account: r.AccountName || key.account,
    objectKey: r.ObjectKey,
    callerIp: r.CallerIpAddress,
    userAgent: r.UserAgentHeader,
    authType: r.AuthenticationType,
    requester: r.RequesterUpn || r.RequesterObjectId || r.RequesterAppId,
    identity: identityOf({
      authType: r.AuthenticationType,
      upn: r.RequesterUpn,
      objectId: r.RequesterObjectId,
      appId: r.RequesterAppId,
      hash: r.AuthenticationHash,
    }),
    conditionsUsed: parseConditionsUsed(r.ConditionsUsed),
    etag: quoteEtag(r.Etag || undefined),
    lastModified: toIsoUtc(r.LastModifiedTime),
    contentLength: numberOf(r.ContentLengthHeader),
    source,
  });
}

/** One row as an object keyed by column name (KQL names are case-sensitive). */
export function parseLogAnalyticsRow(
  row: Record<string, unknown>,
  source: SourceLocation = { kind: 'log-analytics' },
): ParseResult<LogEntry> {
  const result = rowSchema.safeParse(row);
  if (!result.success) {
    const issue = result.error.issues[0];
    return fail(issue?.message ?? 'not a StorageBlobLogs row', {
      line: source.line,
      path: joinPath(issue?.path ?? []) || undefined,
    });
  }
  return ok(toEntry(result.data, source));
}

/** Every row of a query result table; `source.line` is the 1-based row number. */
export function parseLogAnalyticsTable(table: LogsTableLike): { entries: LogEntry[]; issues: Issue[] } {
  const names = table.columnDescriptors.map((c) => c.name ?? '');
  const entries: LogEntry[] = [];
  const issues: Issue[] = [];
  table.rows.forEach((cells, i) => {
    const row = Object.fromEntries(names.map((name, col) => [name, cells[col] ?? undefined]));
    const result = parseLogAnalyticsRow(row, { kind: 'log-analytics', line: i + 1 });
    if (result.ok) entries.push(result.value);
    else issues.push(result.issue);
  });
  return { entries, issues };
}
