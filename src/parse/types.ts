/**
 * Types shared by the parsers. `Capture` and `SourceLocation` live in src/core/types.ts; what is only
 * about reading sources (log entries, formats, incremental parsers) lives here.
 */
import type { SourceLocation } from '../core/types.js';
import type { ParseResult } from './issue.js';

export type { ParseIssue, ParseResult } from './issue.js';

/** Every input cnm recognises by content (SPEC §4, §5). */
export type SourceFormat =
  | 'capture'
  | 'ndjson'
  | 'har'
  | 'sdk-log'
  | 'azurite-log'
  | 'analytics-log'
  | 'resource-log';

/** Conditions as the service logs render them: If-Match/If-None-Match appear as dates (log-formats §1.6). */
export interface ConditionsUsed {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

/** One logged request, whichever service log it came from ($logs line, resource log, Log Analytics row). */
export interface LogEntry {
  /** ISO 8601 UTC, millisecond precision, so entries from different sources sort as strings. */
  time: string;
  /** x-ms-request-id (`$logs` request-id-header, resource-log/LA CorrelationId). */
  requestId?: string;
  clientRequestId?: string;
  /** Storage Analytics operation-type name: PutBlob, GetBlob, SetBlobMetadata, ... */
  operation: string;
  /** HTTP status; 0 when the service logged `Unknown` (interrupted request). */
  status: number;
  /** request-status / StatusText verbatim: Success, SASSuccess, ConditionNotMet, ... */
  statusText?: string;
  /** The service error code when statusText is one (not a generic Success/ClientOtherError bucket). */
  errorCode?: string;
  method?: string;
  url?: string;
  account?: string;
  container?: string;
  blob?: string;
  /** `/account/container/blob` as logged. */
  objectKey?: string;
  callerIp?: string;
  userAgent?: string;
  authType?: string;
  /** Who asked: UPN, object id, app id or requester account, first one logged. */
  requester?: string;
  conditionsUsed?: ConditionsUsed;
  /** ETag of the returned object, with its quotes. */
  etag?: string;
  /** ISO 8601 UTC. */
  lastModified?: string;
  contentLength?: number;
  source: SourceLocation;
}

/**
 * An incremental parser for a line format: feed lines in order, collect finished records. Multi-line
 * formats (SDK log) and paired formats (Azurite request/response lines) keep state between calls.
 */
export interface LineParser<T> {
  push(line: string, lineNo: number): ParseResult<T>[];
  /** Flushes what is still open at end of input (a truncated record becomes an issue). */
  end(): ParseResult<T>[];
}
