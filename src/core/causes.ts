/**
 * Why a conditional request failed: the cause codes, each with its title, Azure error code, fix steps
 * and docs page (docs/causes/<code>.md). `satisfies` makes a cause without a fix or a page a compile error.
 */

export const CAUSE_CODES = [
  'stale-etag',
  'create-only-on-existing',
  'if-none-match-current',
  'not-modified-since',
  'modified-since',
  'lease-id-missing',
  'lease-id-mismatch',
  'lease-not-present',
  'tags-condition',
  'append-position',
  'max-size',
  'sequence-number',
  'source-condition',
  'blob-not-found',
  'multiple-conditions',
  'conditions-hold-now',
  'sdk-injected-if-match',
  'lease-state-conflict',
  'target-condition',
  'snapshot-read-only',
] as const;

export type CauseCode = (typeof CAUSE_CODES)[number];

export interface CauseInfo {
  title: string;
  /** Azure's x-ms-error-code for this cause, when one applies. */
  errorCode?: string;
  explanation: string;
  fix: readonly string[];
  docs: `docs/causes/${CauseCode}.md`;
}

/** One cause as it appears in a report. */
export interface CauseReport {
  code: CauseCode;
  errorCode?: string;
  title: string;
  explanation: string;
  docs: string;
  /** The header that failed, when one did. */
  header?: string;
}

const REFRESH =
  "Read the blob's current properties (cnm inspect, or getProperties()) and take the ETag, Last-Modified and lease from that response.";
const NO_BLIND =
  'Never retry the same request unchanged: a failed precondition fails again. Re-read state before every ' +
  'attempt and bound the attempts (e.g. 3–5).';
const OPTIMISTIC =
  'Either serialize writers of this blob (a lease, a queue partition) or use optimistic concurrency: read → ' +
  'modify → write with If-Match, and on 412 start over from the read.';

export const causeInfo = {
  'stale-etag': {
    title: 'The ETag in If-Match is stale: the blob changed after it was read',
    errorCode: 'ConditionNotMet',
    explanation:
      "If-Match carried an ETag that is no longer the blob's current ETag. Another writer (or an earlier " +
      'attempt of this one whose response was lost) modified the blob between your read and your write.',
    fix: [
      REFRESH,
      'Re-apply your change to the content you just read, then write with If-Match set to the fresh ETag.',
      OPTIMISTIC,
      NO_BLIND,
    ],
    docs: 'docs/causes/stale-etag.md',
  },
  'create-only-on-existing': {
    title: 'If-None-Match: * (create only) was sent for a blob that already exists',
    errorCode: 'BlobAlreadyExists',
    explanation:
      'If-None-Match: * means "only if the blob does not exist yet". Create operations answer 409 ' +
      'BlobAlreadyExists when it exists; other writes fail with 412.',
    fix: [
      'Decide the intent: creating a new blob keeps If-None-Match: *, and a 409 means someone else created it ' +
        'first; overwriting an existing blob wants If-Match: <current ETag> instead.',
      REFRESH,
      NO_BLIND,
    ],
    docs: 'docs/causes/create-only-on-existing.md',
  },
  'if-none-match-current': {
    title: "If-None-Match named the blob's current ETag",
    errorCode: 'ConditionNotMet',
    explanation:
      "If-None-Match fails when the blob's current ETag is in the list. On reads that is 304 Not Modified (your " +
      'cached copy is current); on writes it is 412.',
    fix: [
      'On a read, treat 304 as "your cached copy is current" rather than as an error.',
      'On a write, If-None-Match is rarely what you want: use If-Match: <ETag you read> to guard an overwrite, ' +
        'or If-None-Match: * to create only.',
      REFRESH,
    ],
    docs: 'docs/causes/if-none-match-current.md',
  },
  'not-modified-since': {
    title: 'The blob has not been modified since If-Modified-Since',
    errorCode: 'ConditionNotMet',
    explanation:
      'If-Modified-Since holds only when Last-Modified is strictly later, in whole seconds; an equal time ' +
      'fails. Reads answer 304, writes 412.',
    fix: [
      'On a read, treat 304 as "nothing new".',
      'Send the Last-Modified you last saw verbatim (RFC 1123, whole seconds) rather than a local clock time.',
      REFRESH,
    ],
    docs: 'docs/causes/not-modified-since.md',
  },
  'modified-since': {
    title: 'The blob was modified after If-Unmodified-Since',
    errorCode: 'ConditionNotMet',
    explanation:
      'If-Unmodified-Since holds only when Last-Modified is at or before the given time (whole seconds). ' +
      'Someone wrote the blob later, or the time came from a client clock that is behind the service.',
    fix: [
      REFRESH,
      'Prefer If-Match with the ETag over If-Unmodified-Since: ETags have no clock skew and no one-second granularity.',
      OPTIMISTIC,
      NO_BLIND,
    ],
    docs: 'docs/causes/modified-since.md',
  },
  'lease-id-missing': {
    title: 'The blob (or container) is leased and the request sent no lease id',
    errorCode: 'LeaseIdMissing',
    explanation:
      "A write to a leased blob must carry x-ms-lease-id with the active lease's id. Azure checks the lease " +
      'before the ETag conditions, so this wins even over If-None-Match: *.',
    fix: [
      'Send x-ms-lease-id (conditions.leaseId) with the id of the lease you hold.',
      'If you do not hold the lease, wait for the holder to release it, or coordinate through the holder; break ' +
        'it only if the holder is known to be dead.',
      'Check lease state with cnm inspect before writing.',
    ],
    docs: 'docs/causes/lease-id-missing.md',
  },
  'lease-id-mismatch': {
    title: "The lease id sent is not the active lease's id",
    errorCode: 'LeaseIdMismatchWithBlobOperation',
    explanation:
      'The blob is leased by someone else, or the lease was re-acquired or changed after you took your id. Copy ' +
      'onto a leased destination also needs the lease to be infinite (InfiniteLeaseDurationRequired).',
    fix: [
      'Use the id of the lease you currently hold; after change-lease the old id is dead.',
      'If another process holds the lease, serialize through it instead of writing.',
      'For a copy destination, acquire an infinite lease (duration -1).',
    ],
    docs: 'docs/causes/lease-id-mismatch.md',
  },
  'lease-not-present': {
    title: 'A lease id was sent but the blob has no active lease',
    errorCode: 'LeaseNotPresentWithBlobOperation',
    explanation:
      'The lease expired, was broken or was released between acquire and write (fixed leases last 15–60 s and ' +
      'Azure reports no expiry time). Azure may say LeaseLost instead (unconfirmed).',
    fix: [
      'Renew the lease before it expires (well inside its 15–60 s duration), or use an infinite lease and release it when done.',
      'Re-acquire the lease, then re-read the blob (someone may have written it meanwhile) before writing.',
      NO_BLIND,
    ],
    docs: 'docs/causes/lease-not-present.md',
  },
  'tags-condition': {
    title: "The x-ms-if-tags predicate is false for the blob's tags",
    errorCode: 'ConditionNotMet',
    explanation: "x-ms-if-tags is ANDed with every other condition. Tag values compare as strings, so '10' < '9'.",
    fix: [
      "Read the blob's tags (cnm inspect, getTags()) and compare them with the predicate.",
      'Zero-pad numbers stored in tags so string order equals numeric order.',
      REFRESH,
    ],
    docs: 'docs/causes/tags-condition.md',
  },
  'append-position': {
    title: "x-ms-blob-condition-appendpos is not the append blob's current length",
    errorCode: 'AppendPositionConditionNotMet',
    explanation:
      'Another writer appended first, or an earlier attempt of this append succeeded but its response was lost ' +
      'and the retry kept the old position.',
    fix: [
      'Re-read the blob length (contentLength) before each append and send it as appendPosition.',
      'Before retrying a failed append, check whether the data is already there (a lost response).',
      NO_BLIND,
    ],
    docs: 'docs/causes/append-position.md',
  },
  'max-size': {
    title: 'The append would grow the blob past x-ms-blob-condition-maxsize',
    errorCode: 'MaxBlobSizeConditionNotMet',
    explanation: "Current length plus the block's length exceeds the maximum the request allows.",
    fix: [
      'Roll over to a new append blob, or raise maxSize deliberately.',
      'Do not retry: the condition will keep failing.',
    ],
    docs: 'docs/causes/max-size.md',
  },
  'sequence-number': {
    title: "The page blob's sequence number fails x-ms-if-sequence-number-le/lt/eq",
    errorCode: 'SequenceNumberConditionNotMet',
    explanation: "Another writer advanced the sequence number, so this writer's view of the page blob is stale.",
    fix: [
      REFRESH.replace('ETag, Last-Modified and lease', 'sequence number (blobSequenceNumber)'),
      'Re-derive the pages to write from fresh state, then retry with the new sequence number.',
      NO_BLIND,
    ],
    docs: 'docs/causes/sequence-number.md',
  },
  'source-condition': {
    title: 'A copy-source condition (x-ms-source-if-*) failed',
    errorCode: 'SourceConditionNotMet',
    explanation:
      'The copy source changed after its ETag or time was read. Azure answers 412 SourceConditionNotMet (a ' +
      'failing destination condition is TargetConditionNotMet instead).',
    fix: [
      "Read the source blob's properties again and send its current ETag in sourceConditions.ifMatch.",
      'If the source changes often, snapshot it and copy from the snapshot.',
      NO_BLIND,
    ],
    docs: 'docs/causes/source-condition.md',
  },
  'blob-not-found': {
    title: 'The blob does not exist',
    errorCode: 'BlobNotFound',
    explanation:
      'The blob was deleted (or never created). Reads answer 404 even with If-Match; writes that carry If-Match ' +
      'fail with 412 because no ETag can match.',
    fix: [
      'Check the name and container (cnm inspect).',
      'To create it, send If-None-Match: * instead of If-Match.',
      'Find out who deleted it (cnm diagnose, writers in the window).',
    ],
    docs: 'docs/causes/blob-not-found.md',
  },
  'multiple-conditions': {
    title: 'This combination of conditional headers is not allowed on a write',
    errorCode: 'MultipleConditionHeadersNotSupported',
    explanation:
      'Writes accept If-Match with If-Unmodified-Since, or If-None-Match with If-Modified-Since, and one ETag ' +
      'per header. Anything else is rejected with 400.',
    fix: [
      'Send one ETag condition: usually If-Match alone for an overwrite, If-None-Match: * alone for a create.',
      'Drop the date conditions when an ETag condition is present: the ETag decides anyway.',
    ],
    docs: 'docs/causes/multiple-conditions.md',
  },
  'conditions-hold-now': {
    title: 'The conditions hold now: the state that failed them is gone (a race)',
    explanation:
      "The request failed when it was sent, but against the blob's current state every condition holds. The " +
      'blob changed in between: a concurrent writer, a lease that came and went, or a retry after a lost ' +
      'response.',
    fix: ['Look at the other writers of this blob around the failure (cnm diagnose --window).', OPTIMISTIC, NO_BLIND],
    docs: 'docs/causes/conditions-hold-now.md',
  },
  'sdk-injected-if-match': {
    title: 'The SDK pinned If-Match on a chunked read, and the blob changed mid-download',
    errorCode: 'ConditionNotMet',
    explanation:
      'BlobClient.download() resumes a broken stream (and downloadToBuffer/File read later ranges) with ' +
      'If-Match: <ETag of the first response>, even if you set no condition, so a concurrent overwrite fails ' +
      'the read with 412.',
    fix: [
      'Catch the 412 and restart the whole download from the beginning, reading the new ETag.',
      'Download a snapshot (or a version id) instead of the live blob when writers are active.',
      'Avoid overwriting blobs that are being read: write a new name and switch a pointer.',
    ],
    docs: 'docs/causes/sdk-injected-if-match.md',
  },
  'lease-state-conflict': {
    title: 'The lease action is not allowed in the lease state it found',
    explanation:
      'Acquire, renew, change, release and break each work only in some lease states (available, leased, expired, ' +
      "breaking, broken), and renew/change/release only with the lease's own id. Azure answers 409 with a code " +
      'that names the conflict (LeaseAlreadyPresent, LeaseIdMismatchWithLeaseOperation, ' +
      'LeaseIsBrokenAndCannotBeRenewed, …).',
    fix: [
      'Read the lease state (cnm inspect) before the lease step, and keep the id you acquired: Azure never reports it.',
      'Renew well inside the lease duration (15–60 s); after an expiry or a break, acquire anew and re-read the blob.',
      NO_BLIND,
    ],
    docs: 'docs/causes/lease-state-conflict.md',
  },
  'target-condition': {
    title: 'A destination condition of a copy or From-URL write failed',
    errorCode: 'TargetConditionNotMet',
    explanation:
      'Copy Blob, Copy Blob From URL, Put Blob From URL and Put Block From URL judge two blobs: the copy source ' +
      '(x-ms-source-if-*, SourceConditionNotMet) and the destination (If-Match, If-None-Match, ' +
      'If-Modified-Since, If-Unmodified-Since, x-ms-if-tags). A failing destination condition answers 412 ' +
      'TargetConditionNotMet.',
    fix: [
      "Read the destination blob's properties again and send its current ETag in conditions.ifMatch.",
      'To create only, send If-None-Match: * alone, and treat a failure as "someone created it first".',
      NO_BLIND,
    ],
    docs: 'docs/causes/target-condition.md',
  },
  'snapshot-read-only': {
    title: 'A write was sent to a snapshot or a previous version, which are read-only',
    explanation:
      'A URL with ?snapshot= or ?versionid= names a point-in-time copy. It can be read, deleted or tiered (a ' +
      'version also tagged), but not written or leased; Azure answers 400 (the error code is unconfirmed).',
    fix: [
      'Write the base blob (the URL without ?snapshot= / ?versionid=), with If-Match set to its current ETag.',
      "To restore a snapshot or version, copy it over the base blob (beginCopyFromURL with the snapshot's URL).",
    ],
    docs: 'docs/causes/snapshot-read-only.md',
  },
} satisfies Record<CauseCode, CauseInfo>;

export function causeReport(code: CauseCode, overrides: Partial<Omit<CauseReport, 'code'>> = {}): CauseReport {
  const info: CauseInfo = causeInfo[code];
  return {
    code,
    ...(info.errorCode ? { errorCode: info.errorCode } : {}),
    title: info.title,
    explanation: info.explanation,
    docs: info.docs,
    ...overrides,
  };
}
