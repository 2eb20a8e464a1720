/**
 * The shared vocabulary of cnm's pure core. Words follow @azure/storage-blob and the REST docs verbatim
 * (etag, lastModified, leaseState, ...), so a report reads like the SDK and the service logs.
 */

/** Header names are stored lower-case; values verbatim (ETags keep their quotes). */
export type HeaderMap = Record<string, string>;

export interface CapturedRequest {
  method: string;
  url: string;
  headers: HeaderMap;
  /** ISO 8601 UTC, when the source records it. */
  time?: string;
  /** The body as text, when the source carries it (a Blob Batch's multipart/mixed sub-requests). */
  body?: string;
}

export interface CapturedResponse {
  status: number;
  headers: HeaderMap;
  /** The body as text, when the source carries it (a Blob Batch 202's sub-responses). */
  body?: string;
}

/** Where a capture or log entry came from, for messages and for the diagnose report's `source`. */
export interface SourceLocation {
  kind: 'capture' | 'ndjson' | 'har' | 'sdk-log' | 'azurite-log' | 'analytics-log' | 'resource-log' | 'log-analytics';
  file?: string;
  line?: number;
}

/** One request/response pair, whatever format it was read from (docs/formats.md). */
export interface Capture {
  request: CapturedRequest;
  response?: CapturedResponse;
  source?: SourceLocation;
}

export type LeaseState = 'available' | 'leased' | 'expired' | 'breaking' | 'broken';
export type LeaseStatus = 'locked' | 'unlocked';
export type LeaseDuration = 'infinite' | 'fixed';
export type BlobType = 'BlockBlob' | 'AppendBlob' | 'PageBlob';

export interface LeaseInfo {
  state: LeaseState;
  status: LeaseStatus;
  duration?: LeaseDuration;
  /**
   * Azure never reports a lease id. It is known only when the caller knows it (tests, a simulated
   * state) or when a read-only probe (Get Blob Properties with x-ms-lease-id, which Azure answers 412
   * unless the lease is active and the id matches) confirmed or refuted the id a request carries.
   */
  id?: string;
  /** Ids a read-only probe found NOT to be the active lease's id. */
  notIds?: string[];
}

/** What the service had for one blob (or container, when `kind` is 'container') at some moment. */
export interface BlobState {
  kind?: 'blob' | 'container';
  exists: boolean;
  /** false when the blob is missing because its container is (404 ContainerNotFound). */
  containerExists?: boolean;
  etag?: string;
  /** ISO 8601 UTC, one-second resolution as the service reports it. */
  lastModified?: string;
  lease?: LeaseInfo;
  blobType?: BlobType;
  contentLength?: number;
  contentType?: string;
  metadata?: Record<string, string>;
  /** undefined when tags could not be read (no permission, or not asked for). */
  tags?: Record<string, string>;
  /** Why Get Blob Tags failed when it was asked for: what would let a tag condition be judged. */
  tagsUnreadable?: string;
  versionId?: string;
  isCurrentVersion?: boolean;
  /** Set when the state is a snapshot's (`?snapshot=<time>`): snapshots are read-only. */
  snapshot?: string;
  /** Page blobs: x-ms-blob-sequence-number. */
  sequenceNumber?: number;
  /** Copy source state, for x-ms-source-if-* conditions. */
  source?: BlobState;
}

/** What a state read saw besides the BlobState a condition is judged against: shown by inspect, not judged. */
export interface BlobDetails {
  createdOn?: string;
  accessTier?: string;
  committedBlockCount?: number;
  copyStatus?: string;
  tagCount?: number;
  serverDate?: string;
  requestId?: string;
  /** ContainerNotFound vs BlobNotFound, when the blob does not exist. */
  notFoundCode?: string;
  publicAccess?: string;
  hasImmutabilityPolicy?: boolean;
  hasLegalHold?: boolean;
}

export interface BlobReading {
  state: BlobState;
  details: BlobDetails;
  notes: string[];
}

/** Conditions as the service logs render them: If-Match/If-None-Match appear as dates (observed; undocumented). */
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
  /**
   * Who authenticated, as a person reads it: the Entra principal (UPN, object id, app id), else the credential
   * kind with whatever names it (`account key (acct)`, a resource log's key or SAS hash, `anonymous`).
   */
  identity?: string;
  conditionsUsed?: ConditionsUsed;
  /** ETag of the returned object, with its quotes. */
  etag?: string;
  /** ISO 8601 UTC. */
  lastModified?: string;
  contentLength?: number;
  source: SourceLocation;
}
