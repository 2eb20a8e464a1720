/**
 * Retries for reads (GET, HEAD), and only reads: a transient answer — 408, 429, 500, 502, 503, 504, or a
 * connection reset before any answer — is tried again, at most `maxTries` times in all, waiting what the service
 * asks in Retry-After (https://learn.microsoft.com/azure/architecture/best-practices/retry-service-specific) or a
 * jittered backoff, and never past the request's --timeout. The SDK's own retry policy is switched off (maxTries 1):
 * it retries neither 429 nor honours Retry-After (@azure/storage-common StorageRetryPolicyV2). Writes are never
 * retried here: cnm sends a write once.
 *
 * How many tries were made is kept with the error that ends them (`attemptsOf`), so the message says it truly.
 */
import type { RequestPolicy, RequestPolicyFactory, RequestPolicyOptions, WebResource } from '@azure/storage-blob';
import { azureFacts, type RestErrorLike } from './rest-error.js';

export interface Attempts {
  tries: number;
  /** Milliseconds from the first try to the end of the last. */
  elapsedMs: number;
  /** Seconds the service asked to wait (Retry-After) when that was longer than the time left. */
  retryAfterTooLong?: number;
}

const attempts = new WeakMap<object, Attempts>();

/** How many tries ended in `err`, when a read-retry policy made them. */
export function attemptsOf(err: unknown): Attempts | undefined {
  return typeof err === 'object' && err !== null ? attempts.get(err) : undefined;
}

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRY_CODES = /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|ECONNABORTED)$/;

/** Seconds or an HTTP date (RFC 9110 §10.2.3) → milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function transient(err: unknown): boolean {
  const e = err as RestErrorLike;
  if (e?.name === 'AbortError') return false;
  const status = azureFacts(err).status;
  if (status !== undefined) return RETRY_STATUS.has(status);
  // A body cut mid-answer surfaces as a parse error of the text read so far.
  if (e?.code === 'PARSE_ERROR' && /aborted/i.test(e.message ?? '')) return true;
  for (let c: RestErrorLike | undefined = e, depth = 0; c && depth < 5; c = c.cause as RestErrorLike, depth++) {
    if (c.code && RETRY_CODES.test(c.code)) return true;
  }
  return false;
}

export interface ReadRetryOptions {
  maxTries: number;
  /** The request's whole budget (--timeout): no wait is started that would end past it. */
  timeoutMs: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export function readRetryPolicy(options: ReadRetryOptions): RequestPolicyFactory {
  const base = options.baseDelayMs ?? 300;
  const max = options.maxDelayMs ?? 3000;
  return {
    create(next: RequestPolicy, _options: RequestPolicyOptions): RequestPolicy {
      return {
        async sendRequest(req: WebResource) {
          if (req.method !== 'GET' && req.method !== 'HEAD') return next.sendRequest(req);
          const started = Date.now();
          for (let tries = 1; ; tries++) {
            try {
              return await next.sendRequest(req);
            } catch (err) {
              const elapsedMs = Date.now() - started;
              const record = (extra: Partial<Attempts> = {}) => {
                if (typeof err === 'object' && err !== null) attempts.set(err, { tries, elapsedMs, ...extra });
              };
              if (tries >= options.maxTries || !transient(err)) {
                record();
                throw err;
              }
              const headers = (err as RestErrorLike).response?.headers;
              const asked = retryAfterMs(headers?.get?.('retry-after'));
              const backoff = Math.min(max, base * 2 ** (tries - 1)) * (0.8 + Math.random() * 0.4);
              const wait = asked ?? backoff;
              if (elapsedMs + wait >= options.timeoutMs) {
                record(asked !== undefined ? { retryAfterTooLong: Math.ceil(asked / 1000) } : {});
                throw err;
              }
              await new Promise((r) => setTimeout(r, wait));
              if (req.abortSignal?.aborted) {
                record();
                throw err;
              }
            }
          }
        },
      };
    },
  };
}
