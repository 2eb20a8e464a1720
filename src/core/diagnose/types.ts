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
  /** Who sent it, as the source shows it (`requester @ ip:port` in service logs). */
  caller?: string;
  /** The caller's address alone (`ip` or `ip:port`), when the source records one. */
  callerIp?: string;
  /**
   * Who authenticated, when the source says: an Entra principal (UPN, object id, app id), else the credential
   * kind and whatever names it (the account of a Shared Key, a key or SAS hash from resource logs).
   */
  identity?: string;
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
  /** Who authenticated, when the source says (see Observed.identity). */
  identity?: string;
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
  /**
   * A logged If-Match date that two or more writes share (their Last-Modified is the same second): every one of
   * them, oldest first. The report never picks one silently; `inferredEtag` is set only when the others are ruled out.
   */
  candidates?: Writer[];
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

/** `origin.kind`: what made the condition false (docs/diagnose.md, "Origin"). */
export type OriginKind =
  | 'other-writer'
  | 'own-earlier-attempt'
  | 'reused-etag'
  | 'lease-expired'
  | 'lease-broken'
  | 'lease-released'
  | 'lease-changed'
  | 'expected-contention'
  | 'unknown';

type Confidence = 'certain' | 'likely';

/** `origin.by`: the request that made the condition false, named as far as the sources can. */
export interface OriginBy {
  time?: string;
  operation: string;
  requestId?: string;
  clientRequestId?: string;
  /** null when no source logged who called. */
  caller: string | null;
  userAgent?: string;
  /** null when no source logged who authenticated. */
  identity: string | null;
  status: number;
  /** Seconds relative to the failed request (negative: before it). */
  offsetSeconds?: number;
}

/** One reading of an ambiguous log: had the client sent `etag`, this is what made its condition false. */
export interface OriginAlternative {
  etag: string;
  kind: OriginKind;
  by?: OriginBy;
}

export interface Origin {
  kind: OriginKind;
  /** Absent for `unknown`, and when an ambiguous log leaves two requests that could have done it (`alternatives`). */
  by?: OriginBy;
  confidence: Confidence;
  /** One sentence a person reads first. */
  summary: string;
  /** The observations that show it, each with the source line it was read from. */
  evidence: string[];
  /** For `unknown` (and a `likely` that a source could settle): the log to turn on or the header to capture. */
  wouldDecide?: string;
  alternatives?: OriginAlternative[];
}

export type LeaseAction = 'acquire' | 'renew' | 'change' | 'release' | 'break';

/** `leases[]`: one lease operation on the blob (or its container), as the sources show it. */
export interface LeaseEvent {
  time?: string;
  action: LeaseAction;
  target: 'blob' | 'container';
  /** The lease's id after the operation (acquire, renew, change) or the id it named (release), when recorded. */
  leaseId?: string;
  /** Change: the id it replaced. */
  previousLeaseId?: string;
  /** Acquire: seconds as x-ms-lease-duration sent it (15–60, or -1 for infinite); service logs do not record it. */
  duration?: number;
  /** Break: x-ms-lease-break-period as sent (0–60 s). */
  breakPeriod?: number;
  /** Break: x-ms-lease-time answered, the seconds until the lease is broken. */
  leaseTime?: number;
  requestId?: string;
  clientRequestId?: string;
  /** null when no source logged who called. */
  caller: string | null;
  userAgent?: string;
  identity?: string;
  status: number;
  errorCode?: string;
  offsetSeconds?: number;
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
  contention?: Contention;
  /** What made the condition false, read from the sources. */
  origin: Origin;
  steps: Step[];
  writers: Writer[];
  timeline: EtagTimeline;
  /** The blob's lease operations around the failure, oldest first. */
  leases: LeaseEvent[];
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
