/** The errors withBlobLease throws: it waited too long for another holder, or it lost the lease during the work. */

/** Thrown when another holder kept the lease for longer than `maxWaitMs`. Nothing was written, no lease was broken. */
export class LeaseWaitTimeoutError extends Error {
  /** Acquire attempts made (each answered 409 LeaseAlreadyPresent or similar). */
  readonly attempts: number;
  readonly waitedMs: number;

  constructor(attempts: number, waitedMs: number, cause: unknown) {
    super(
      `withBlobLease: the lease is still held by another client after ${Math.round(waitedMs)} ms ` +
        `(${attempts} attempt${attempts === 1 ? '' : 's'}); it was not broken`,
      { cause },
    );
    this.name = 'LeaseWaitTimeoutError';
    this.attempts = attempts;
    this.waitedMs = waitedMs;
  }
}

/**
 * Why a held lease was given up:
 * - `refused`: the service answered a renewal with 409 — the lease was broken, or has expired and been taken
 *   (or the blob written) by someone else;
 * - `expired`: no renewal succeeded within the lease's duration (a slow, throttled or unreachable service, or a
 *   stalled process), so the lease must be assumed gone.
 */
export type LeaseLossReason = 'refused' | 'expired';

/**
 * The reason of the guard's AbortSignal when the lease is lost, and what withBlobLease throws when the work
 * fails after that (the work's own error, e.g. the service's 412 for a late write, is its `cause`).
 */
export class LeaseLostError extends Error {
  readonly reason: LeaseLossReason;
  readonly leaseId: string;
  /** What showed the loss, e.g. `the renewal was answered 409 LeaseIdMismatchWithLeaseOperation`. */
  readonly detail: string;

  constructor(reason: LeaseLossReason, leaseId: string, detail: string, cause?: unknown) {
    super(`withBlobLease: lease ${leaseId} lost (${reason}): ${detail}`, cause === undefined ? undefined : { cause });
    this.name = 'LeaseLostError';
    this.reason = reason;
    this.leaseId = leaseId;
    this.detail = detail;
  }
}
