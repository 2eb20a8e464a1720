/** Shapes of `cnm diagnose`: requests seen in any source, and the report built from them. Pure. */
import type { CauseReport } from '../causes.js';
import type { ConditionResult } from '../conditions/rule.js';
import type { InspectReport } from '../inspect-report.js';
import type { Capture, ConditionsUsed, HeaderMap, SourceLocation } from '../types.js';

/** One request seen in any source ($logs line, resource log, Log Analytics row, capture, HAR, SDK or Azurite log). */
export interface Observed {
  /** ISO 8601 UTC; absent in sources without timestamps (the SDK log). */
  time?: string;
  /** Position among everything read, so sources without times still order. */
  order: number;
  requestId?: string;
  clientRequestId?: string;
  /** Storage Analytics operation name (PutBlob, SetBlobMetadata, …). */
  operation: string;
  method?: string;
  url?: string;
  /** `/account/container/blob`: the key that joins one blob across sources. */
  blobKey?: string;
  status: number;
  errorCode?: string;
  caller?: string;
  userAgent?: string;
  /** ETag the response carried (for a write: the ETag it produced), with quotes. */
  etag?: string;
  lastModified?: string;
  conditionsUsed?: ConditionsUsed;
  /** The whole request and response, when a capture-format source recorded them. */
  capture?: Capture;
  source: SourceLocation;
}

export type WriterRole = 'produced-supplied-etag' | 'replaced-supplied-etag' | 'same-client-request' | 'other';

/** `writers[]`: another request on the same blob, near the failure. */
export interface Writer {
  time?: string;
  operation: string;
  requestId?: string;
  clientRequestId?: string;
  /** null when no source logged who called (the key is there for every writer). */
  caller?: string | null;
  userAgent?: string;
  status: number;
  errorCode?: string;
  /** null when the response's ETag is not in the sources (failures, $logs lines without one). */
  etag?: string | null;
  lastModified?: string;
  role: WriterRole;
  /** Seconds relative to the failed request (negative: before it). */
  offsetSeconds?: number;
}

/** Who produced the ETag the client supplied, and who replaced it. */
export interface EtagTimeline {
  /** What the request carried: an ETag string, or (logs) the date the service rendered it as. */
  supplied?: string;
  suppliedAs?: 'etag' | 'date';
  /** The ETag inferred from a date, when one write's Last-Modified matches it to the second. */
  inferredEtag?: string;
  producedBy?: Writer;
  replacedBy?: Writer;
  /** The blob's ETag just before the failure, as far as the sources show. */
  currentAtFailure?: string;
  note: string;
}

export interface AtFailure {
  exists: boolean;
  etag?: string;
  lastModified?: string;
  /** Which observation this state comes from, or why it is unknown. */
  basis: string;
}

export interface Contention {
  kind:
    | 'event-hubs-ownership'
    | 'event-hubs-checkpoint'
    | 'functions-singleton'
    | 'functions-secrets'
    | 'terraform-state'
    | 'durable-task-lease';
  /** True when a 412/409 here is the library's normal way of losing a race, not a bug. */
  expected: boolean;
  title: string;
  explanation: string;
  fix: string[];
}

/** `origin.kind`: what made the condition fail, as the logs show it. */
type OriginKind =
  | 'other-writer'
  | 'own-earlier-attempt'
  | 'reused-etag'
  | 'lease-expired'
  | 'lease-broken'
  | 'lease-released'
  | 'lease-changed'
  | 'expected-contention'
  | 'unknown';

/** `origin`: what made the condition fail; `by` is the request that did it. */
export interface Origin {
  kind: OriginKind;
  by?: {
    time?: string;
    operation: string;
    requestId?: string;
    caller?: string | null;
    userAgent?: string;
    identity?: string;
  };
  confidence: 'certain' | 'likely';
  /** The log lines that show it. */
  evidence: string[];
}

/** `leases[]`: one lease request on the blob in the window (acquire, renew, change, release, break). */
export interface LeaseEvent {
  time?: string;
  action: string;
  leaseId?: string;
  /** Seconds, as x-ms-lease-duration (-1: infinite). */
  duration?: number;
  caller?: string | null;
  status: number;
}

export interface Step {
  title: string;
  detail: string;
}

export interface SearchSummary {
  /** One line per source searched (file, folder, container, workspace). */
  sources: string[];
  from?: string;
  to?: string;
  files: number;
  bytes: number;
  /** Malformed or truncated lines skipped (never fatal). */
  skippedLines: number;
}

export type NowState = Omit<InspectReport, 'command' | 'version'>;

export interface DiagnoseReport {
  command: 'diagnose';
  version: string;
  requestId: string;
  clientRequestId?: string;
  source: SourceLocation;
  request: {
    method?: string;
    url?: string;
    operation: string;
    time?: string;
    headers: HeaderMap;
    conditionsUsed?: ConditionsUsed;
    caller?: string;
    userAgent?: string;
  };
  response: { status: number; errorCode?: string; requestId?: string; headers?: HeaderMap };
  atFailure: AtFailure;
  /** null when no credentials were given to read the live blob. */
  now: NowState | null;
  conditions: ConditionResult[];
  cause?: CauseReport;
  origin?: Origin;
  contention?: Contention;
  steps: Step[];
  writers: Writer[];
  /** The blob's lease timeline in the window, oldest first. */
  leases?: LeaseEvent[];
  timeline: EtagTimeline;
  retries: Writer[];
  fix: string[];
  /** The command line that retests the request against the live blob. */
  replay: string;
  /** The request as a capture (docs/formats.md, redacted), for `cnm replay`. */
  capture: Capture;
  window: string;
  searched: SearchSummary;
  notes: string[];
}
