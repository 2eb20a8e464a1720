/** Full-jitter exponential backoff and an abortable sleep, shared by the library's retry and wait loops. */

export interface BackoffOptions {
  /** First delay ceiling in ms; it doubles every attempt. */
  baseMs?: number;
  /** Largest delay ceiling in ms. */
  maxMs?: number;
}

/**
 * A random delay in [0, min(maxMs, baseMs · 2^(attempt-1))): full jitter (AWS Architecture Blog, "Exponential
 * Backoff And Jitter"), so racing clients spread out instead of colliding again in step.
 */
export function fullJitter(attempt: number, backoff: Required<BackoffOptions>): number {
  return Math.random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
