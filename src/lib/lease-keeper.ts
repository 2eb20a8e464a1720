/**
 * Keeps a held lease alive while work runs: renews it well inside its duration, and aborts the work's signal the
 * moment the lease is lost — a renewal refused by the service (409), or no renewal confirmed before the lease's
 * duration runs out (a slow or throttled service, a stalled process). Azure's lease rules: Microsoft Learn,
 * "Lease Blob" (a fixed lease lasts 15–60 s from the acquire or the last renew; an expired lease can no longer
 * guard a write).
 */
import type { BlobLeaseClient } from '@azure/storage-blob';
import { azureFacts } from '../azure/rest-error.js';
import { LeaseLostError, type LeaseLossReason } from './lease-errors.js';

export interface KeeperTiming {
  durationMs: number;
  renewEveryMs: number;
}

/** A monotonic clock: lease arithmetic must not jump with the wall clock. */
export const now = (): number => performance.now();

function describe(err: unknown): string {
  const { status, errorCode } = azureFacts(err);
  if (status) return `${status}${errorCode ? ` ${errorCode}` : ''}`;
  return (err as Error)?.message ?? String(err);
}

export class LeaseKeeper {
  private readonly controller = new AbortController();
  /**
   * When the service's lease ends at the latest: the duration counted from when the last successful acquire or
   * renew was *sent* (the service started its clock after that), so the estimate never runs past the real end.
   */
  private validUntil: number;
  private renewTimer?: NodeJS.Timeout;
  private deadlineTimer?: NodeJS.Timeout;
  private inflight?: AbortController;
  private stopped = false;
  private lastFailure = 'no renewal was answered';
  lostBy?: LeaseLossReason;

  constructor(
    private readonly lease: BlobLeaseClient,
    private readonly timing: KeeperTiming,
    acquireSentAt: number,
  ) {
    this.validUntil = acquireSentAt + timing.durationMs;
    this.armDeadline();
    this.scheduleRenew(timing.renewEveryMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Milliseconds the lease is known to last still (0 once it may have ended). */
  remainingMs(): number {
    return Math.max(0, this.validUntil - now());
  }

  /** Aborts the work's signal with `reason` (the caller's own abort), without calling the lease lost. */
  abort(reason: unknown): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.renewTimer);
    clearTimeout(this.deadlineTimer);
    this.inflight?.abort();
  }

  private scheduleRenew(ms: number): void {
    clearTimeout(this.renewTimer);
    if (!this.stopped) this.renewTimer = setTimeout(() => void this.renew(), ms);
  }

  /**
   * The work stops a little before the estimated end, so a write already in flight lands while the lease holds;
   * a write later than that is refused by the service anyway (the lease id is the fence).
   */
  private armDeadline(): void {
    clearTimeout(this.deadlineTimer);
    const margin = Math.min(this.timing.durationMs / 10, 2000);
    const due = Math.max(0, this.validUntil - margin - now());
    this.deadlineTimer = setTimeout(
      () => this.lose('expired', `no renewal confirmed within the lease's duration (${this.lastFailure})`),
      due,
    );
  }

  private async renew(): Promise<void> {
    if (this.stopped) return;
    const sentAt = now();
    const attempt = new AbortController();
    this.inflight = attempt;
    // A renewal answered after the lease ended is no use: stop waiting for it then.
    const giveUp = setTimeout(() => attempt.abort(), Math.ceil(this.remainingMs()));
    try {
      await this.lease.renewLease({ abortSignal: attempt.signal });
      if (this.stopped) return;
      this.validUntil = sentAt + this.timing.durationMs;
      this.armDeadline();
      this.scheduleRenew(this.timing.renewEveryMs);
    } catch (err) {
      if (this.stopped) return;
      const { status } = azureFacts(err);
      // 409: the lease is broken, or expired and taken (or the blob written) by someone else; 404: the blob is gone.
      if (status === 409 || status === 404) return this.lose('refused', `the renewal was answered ${describe(err)}`);
      // Throttled, slow or unreachable (after the SDK's own retries): try again soon while the lease lasts.
      this.lastFailure = `the last renewal failed: ${describe(err)}`;
      this.scheduleRenew(Math.min(this.timing.renewEveryMs, 500));
    } finally {
      clearTimeout(giveUp);
    }
  }

  private lose(reason: LeaseLossReason, detail: string): void {
    if (this.stopped || this.controller.signal.aborted) return;
    this.lostBy = reason;
    this.stop();
    this.controller.abort(new LeaseLostError(reason, this.lease.leaseId, detail));
  }
}
