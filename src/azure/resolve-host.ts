/**
 * The endpoint's host name resolved before the first request, within --timeout. A resolver that never answers
 * keeps getaddrinfo busy for ~10 s (glibc: 5 s × 2 tries) whatever the request's own timer says, and the failure
 * then looks like a slow service; looked up first, it is named for what it is.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { RequestPolicy, RequestPolicyFactory, RequestPolicyOptions, WebResource } from '@azure/storage-blob';
import { CnmError } from '../core/errors.js';

const resolved = new Map<string, Promise<void>>();

function check(host: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CnmError('network', `the DNS lookup of ${host} got no answer within the --timeout (${timeoutMs} ms)`, {
            hint: 'check the host name and the DNS resolver (or the network) this machine uses',
          }),
        ),
      timeoutMs,
    );
    timer.unref();
  });
  const answer = lookup(host).then(
    () => undefined,
    (err: NodeJS.ErrnoException) => {
      const missing = err.code === 'ENOTFOUND';
      throw new CnmError(
        'network',
        `${host}: ${missing ? 'host not found (DNS)' : `DNS lookup failed (${err.code ?? err.message})`}`,
        {
          hint: missing
            ? 'check the account name or the URL'
            : 'check the DNS resolver (or the network) this machine uses',
          cause: err,
        },
      );
    },
  );
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

/** A request policy: the first request to a host waits for its lookup (once per run), bounded by --timeout. */
export function resolveHostPolicy(timeoutMs: number): RequestPolicyFactory {
  return {
    create(next: RequestPolicy, _options: RequestPolicyOptions): RequestPolicy {
      return {
        async sendRequest(req: WebResource) {
          await resolveHost(req.url, timeoutMs);
          return next.sendRequest(req);
        },
      };
    },
  };
}

/** Resolves `url`'s host once per run; an IP address or localhost needs no lookup. */
function resolveHost(url: string, timeoutMs: number): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) || host === 'localhost') return Promise.resolve();
  let pending = resolved.get(host);
  if (!pending) {
    pending = check(host, timeoutMs);
    resolved.set(host, pending);
  }
  return pending;
}
