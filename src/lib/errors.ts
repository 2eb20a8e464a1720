/** The error readRefreshWrite throws when it gives up: the last failure, with cnm's diagnosis of it. */
import type { AzureFacts } from '../azure/rest-error.js';
import type { CauseReport } from '../core/causes.js';
import type { Evaluation } from '../core/evaluate.js';

/**
 * Thrown by {@link readRefreshWrite} when every attempt failed on a condition, or a lease condition failed
 * (retrying cannot fix a lease held by someone else). The SDK's RestError is its `cause`.
 */
export class ReadRefreshWriteError extends Error {
  /** Attempts made, including the last. */
  readonly attempts: number;
  /** HTTP status of the last write (412 or 409). */
  readonly status?: number;
  /** Azure's x-ms-error-code of the last write, e.g. `ConditionNotMet`, `LeaseIdMismatchWithBlobOperation`. */
  readonly errorCode?: string;
  readonly requestId?: string;
  /** The engine's verdict on the last write against the blob right after it failed; undefined if it could not be read. */
  readonly diagnosis?: Evaluation;

  constructor(attempts: number, facts: AzureFacts, diagnosis: Evaluation | undefined, cause: unknown) {
    const why = diagnosis?.cause
      ? `${diagnosis.cause.code}: ${diagnosis.cause.title}`
      : `${facts.status ?? ''} ${facts.errorCode ?? ''}`.trim();
    super(`readRefreshWrite gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${why}`, { cause });
    this.name = 'ReadRefreshWriteError';
    this.attempts = attempts;
    this.status = facts.status;
    this.errorCode = facts.errorCode;
    this.requestId = facts.requestId;
    this.diagnosis = diagnosis;
  }

  /** The diagnosed cause (docs/causes/), e.g. `{ code: 'stale-etag', … }`. */
  get conditionCause(): CauseReport | undefined {
    return this.diagnosis?.cause;
  }
}
