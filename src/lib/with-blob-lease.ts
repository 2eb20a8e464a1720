/**
 * A single-writer guard: hold a blob's (or a container's) lease while `work` runs. It never breaks another
 * holder's lease: it waits, with jittered backoff, for a bounded time. The lease id it hands the work is the
 * fence — every write that carries it is refused by the service (412) once the lease is gone — and the signal
 * it hands the work aborts as soon as the lease is lost, so the work stops before it writes.
 * Lease rules: Microsoft Learn, "Lease Blob" and "Lease Container".
 */
import type { BlobClient, BlobLeaseClient, ContainerClient } from '@azure/storage-blob';
import { azureFacts } from '../azure/rest-error.js';
import { fullJitter, sleep, type BackoffOptions } from './backoff.js';
import { LeaseKeeper, now } from './lease-keeper.js';
import { LeaseLostError, LeaseWaitTimeoutError } from './lease-errors.js';

/** What the work receives. */
export interface LeaseGuard {
  /** The id of the lease held for the work. */
  leaseId: string;
  /** Pass to every SDK call on the blob (`{ conditions }`, or merged with your If-Match): the fence. */
  conditions: { leaseId: string };
  /** Aborts when the lease is lost (reason: a LeaseLostError) or the caller's `signal` aborts; pass it as `abortSignal`. */
  signal: AbortSignal;
}

export interface WithLeaseOptions {
  /** Lease duration, 15–60 s (default 30). An infinite lease is never taken: a crashed holder would keep it. */
  durationSeconds?: number;
  /** How often to renew while the work runs (default a third of the duration; at most half of it, at least 100 ms). */
  renewEveryMs?: number;
  /** How long to wait for another holder to let go before giving up with LeaseWaitTimeoutError (default 2 × duration). */
  maxWaitMs?: number;
  /** Backoff between acquire attempts while another client holds the lease (default `{ baseMs: 50, maxMs: 2000 }`). */
  backoff?: BackoffOptions;
  /** Cancels the wait, and the work's signal. */
  signal?: AbortSignal;
}

/** Anything that leases: a BlobClient (or Block/Append/Page blob client) or a ContainerClient. */
type Leasable = Pick<BlobClient | ContainerClient, 'getBlobLeaseClient'>;

/** 409s that mean "someone else holds it for now": waiting can end them. */
const HELD = new Set(['LeaseAlreadyPresent', 'LeaseIsBreakingAndCannotBeAcquired']);

interface Timing {
  durationSeconds: number;
  renewEveryMs: number;
  maxWaitMs: number;
  backoff: Required<BackoffOptions>;
}

function timingOf(options: WithLeaseOptions): Timing {
  const durationSeconds = options.durationSeconds ?? 30;
  if (!Number.isInteger(durationSeconds) || durationSeconds < 15 || durationSeconds > 60)
    throw new RangeError(`withBlobLease: durationSeconds must be a whole number from 15 to 60, not ${durationSeconds}`);
  const durationMs = durationSeconds * 1000;
  const renewEveryMs = options.renewEveryMs ?? durationMs / 3;
  if (!(renewEveryMs >= 100 && renewEveryMs <= durationMs / 2))
    throw new RangeError(`withBlobLease: renewEveryMs must be from 100 to ${durationMs / 2} (half the duration)`);
  return {
    durationSeconds,
    renewEveryMs,
    maxWaitMs: Math.max(0, options.maxWaitMs ?? 2 * durationMs),
    backoff: { baseMs: options.backoff?.baseMs ?? 50, maxMs: options.backoff?.maxMs ?? 2000 },
  };
}

/** Acquires, waiting while another client holds the lease; returns when the acquire request was sent. */
async function acquire(lease: BlobLeaseClient, timing: Timing, signal?: AbortSignal): Promise<number> {
  const started = now();
  for (let attempt = 1; ; attempt++) {
    const sentAt = now();
    try {
      await lease.acquireLease(timing.durationSeconds, { abortSignal: signal });
      return sentAt;
    } catch (err) {
      const { status, errorCode } = azureFacts(err);
      // Cancelled mid-request, or no answer at all (a reset, a timeout, the SDK's retries used up): the service may
      // have granted it anyway; let it go rather than leave other writers waiting out its duration.
      if (signal?.aborted || status === undefined)
        await lease.releaseLease({ abortSignal: AbortSignal.timeout(5000) }).catch(() => undefined);
      // The caller's reason says more than the SDK's own AbortError.
      signal?.throwIfAborted();
      if (status !== 409 || !HELD.has(errorCode ?? '')) throw err;
      const waited = now() - started;
      if (waited >= timing.maxWaitMs) throw new LeaseWaitTimeoutError(attempt, waited, err);
      await sleep(Math.min(fullJitter(attempt, timing.backoff), timing.maxWaitMs - waited), signal);
    }
  }
}

async function release(lease: BlobLeaseClient, keeper: LeaseKeeper): Promise<void> {
  // A lease someone else now holds cannot be released by us (409): skip the request.
  if (keeper.lostBy === 'refused') return;
  try {
    // Bounded: a release that cannot get through leaves a lease that ends by itself within its duration.
    await lease.releaseLease({
      abortSignal: AbortSignal.timeout(Math.round(Math.min(10_000, keeper.remainingMs() + 1000))),
    });
  } catch {
    // Nothing to do: the lease is finite and expires on its own.
  }
}

async function guard<T>(
  target: Leasable,
  work: (lease: LeaseGuard) => T | Promise<T>,
  options: WithLeaseOptions,
): Promise<T> {
  const timing = timingOf(options);
  const lease = target.getBlobLeaseClient();
  const acquiredAt = await acquire(lease, timing, options.signal);
  const keeper = new LeaseKeeper(
    lease,
    { durationMs: timing.durationSeconds * 1000, renewEveryMs: timing.renewEveryMs },
    acquiredAt,
  );
  const onCallerAbort = () => keeper.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal?.aborted) onCallerAbort();
  const leaseId = lease.leaseId;
  try {
    return await work({ leaseId, conditions: { leaseId }, signal: keeper.signal });
  } catch (err) {
    const lost: unknown = keeper.signal.reason;
    if (keeper.lostBy && lost instanceof LeaseLostError && err !== lost)
      throw new LeaseLostError(lost.reason, leaseId, lost.detail, err);
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', onCallerAbort);
    keeper.stop();
    await release(lease, keeper);
  }
}

/**
 * Runs `work` while holding a lease on the blob, and resolves to what it returns.
 *
 * - Acquires a `durationSeconds` lease (15–60 s, default 30). While another client holds it, waits with jittered
 *   backoff, at most `maxWaitMs` (then throws {@link LeaseWaitTimeoutError}); it never breaks a lease.
 * - Renews it every `renewEveryMs` while the work runs.
 * - Hands the work `{ leaseId, conditions, signal }`: pass `conditions` to every write (the service refuses a write
 *   whose lease is gone: 412) and `signal` as `abortSignal` (it aborts when a renewal is refused or none succeeded
 *   in time).
 * - Releases the lease when the work returns or throws. If the work throws after the lease was lost, the error is a
 *   {@link LeaseLostError} whose `cause` is the work's error.
 *
 * @example
 * await withBlobLease(blob, async ({ conditions, signal }) => {
 *   const text = (await blob.downloadToBuffer(undefined, undefined, { abortSignal: signal })).toString();
 *   await blob.upload(next(text), Buffer.byteLength(next(text)), { conditions, abortSignal: signal });
 * });
 */
export function withBlobLease<T>(
  blob: Pick<BlobClient, 'getBlobLeaseClient'>,
  work: (lease: LeaseGuard) => T | Promise<T>,
  options: WithLeaseOptions = {},
): Promise<T> {
  return guard(blob, work, options);
}

/**
 * {@link withBlobLease} for a container's lease (Microsoft Learn, "Lease Container"): pass `conditions` to
 * container operations that honour it (Delete Container, Set Container Metadata).
 */
export function withContainerLease<T>(
  container: Pick<ContainerClient, 'getBlobLeaseClient'>,
  work: (lease: LeaseGuard) => T | Promise<T>,
  options: WithLeaseOptions = {},
): Promise<T> {
  return guard(container, work, options);
}
