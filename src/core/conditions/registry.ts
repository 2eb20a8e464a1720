/**
 * Every condition rule, in the order Azure evaluates them. The order matters: the first definite failure of a
 * family decides (evaluate.ts combines them as Azure does).
 */
import { appendPositionRule } from './append-position.js';
import { existenceRule } from './existence.js';
import { ifMatchRule } from './if-match.js';
import { ifModifiedSinceRule } from './if-modified-since.js';
import { ifNoneMatchRule } from './if-none-match.js';
import { ifTagsRule } from './if-tags.js';
import { ifUnmodifiedSinceRule } from './if-unmodified-since.js';
import { leaseActionRule } from './lease-action.js';
import { leaseRequestRule } from './lease-request.js';
import { leaseIdRule } from './lease-id.js';
import { maxSizeRule } from './max-size.js';
import { multipleConditionsRule } from './multiple-conditions.js';
import type { ConditionRule } from './rule.js';
import { sequenceNumberRule } from './sequence-number.js';
import { snapshotRule } from './snapshot.js';
import { sourceExistenceRule } from './source-existence.js';
import { unsupportedHeaderRules } from './unsupported-header.js';

export const CONDITION_RULES: readonly ConditionRule[] = [
  // Request shape first: a 400 comes before the blob is looked at (conditional-headers doc, write pair rule).
  multipleConditionsRule,
  // A snapshot or a previous version is read-only: 400 for a write or a lease on one.
  snapshotRule,
  // Lease Blob/Container headers out of their documented ranges: 400 before the blob is looked at.
  leaseRequestRule,
  // Existence before conditions for reads (Azurite#2751: Azure 404s a read with If-Match on a missing blob).
  existenceRule,
  // A copy needs its source before anything is copied (404 BlobNotFound / CannotVerifyCopySource: source-existence.ts).
  sourceExistenceRule,
  // Lease before ETags (Azurite#2637: live Azure answers LeaseIdMissing over BlobAlreadyExists).
  leaseIdRule,
  // RFC 7232 §6 order, which Azure's read expression agrees with (conditional-headers doc, examples 1–4).
  ifMatchRule('main'),
  ifUnmodifiedSinceRule('main'),
  ifNoneMatchRule('main'),
  ifModifiedSinceRule('main'),
  // Tags are ANDed with everything (storage-manage-find-blobs: "they all must evaluate true").
  ifTagsRule('main'),
  // The lease state machine after the conditions (lease-action.ts: RFC 7232 §5 order; Azure's is unconfirmed).
  leaseActionRule,
  // Set/Get Blob Tags: x-ms-blob-if-* (SDK operation spec, generated parameters.ts ifMatch1…).
  ifMatchRule('blob'),
  ifUnmodifiedSinceRule('blob'),
  ifNoneMatchRule('blob'),
  ifModifiedSinceRule('blob'),
  // Copy source: x-ms-source-if-* (Copy Blob doc; SourceConditionNotMet in the error table).
  ifMatchRule('source'),
  ifUnmodifiedSinceRule('source'),
  ifNoneMatchRule('source'),
  ifModifiedSinceRule('source'),
  ifTagsRule('source'),
  // Append Block doc: append position, then max size.
  appendPositionRule,
  maxSizeRule,
  // Put Page doc: sequence-number conditions.
  sequenceNumberRule('le'),
  sequenceNumberRule('lt'),
  sequenceNumberRule('eq'),
  // Informational: headers the operation does not take.
  ...unsupportedHeaderRules(),
];
