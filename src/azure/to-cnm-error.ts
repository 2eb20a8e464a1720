/** Turns whatever the SDK or the network threw into a CnmError with Azure's facts attached (rest-error.ts). */
import { CnmError } from '../core/errors.js';
import { azureFacts, type RestErrorLike } from './rest-error.js';

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
};

function networkCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 5; depth++) {
    const c = cur as RestErrorLike;
    if (c.code && NETWORK_CODES[c.code]) return c.code;
    const m = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)\b/.exec(c.message ?? '');
    if (m) return m[1];
    cur = c.cause;
  }
  return undefined;
}

function isTimeout(err: unknown): boolean {
  const e = err as RestErrorLike;
  return e?.name === 'AbortError' || e?.code === 'ETIMEDOUT' || /aborted|timed? ?out/i.test(e?.message ?? '');
}

/** `what` names the thing being read, e.g. `blob c/b.json at https://acct.blob.core.windows.net`. */
export function toCnmError(err: unknown, what: string): CnmError {
  if (err instanceof CnmError) return err;
  const facts = azureFacts(err);
  const opts = { ...facts, cause: err };
  // The request id goes into the one line: it is what Azure support asks for first.
  const code = `${facts.errorCode ? ` ${facts.errorCode}` : ''}${facts.requestId ? ` (x-ms-request-id ${facts.requestId})` : ''}`;
  if (facts.status === 401 || facts.status === 403) {
    return new CnmError('auth', `${what}: ${facts.status}${code}: access denied`, {
      ...opts,
      hint: "check the account key, the SAS (permissions, expiry, sig) or the identity's RBAC role (Storage Blob Data Reader)",
    });
  }
  if (facts.status === 404) {
    return new CnmError('not-found', `${what}: 404${code || ' not found'}`, opts);
  }
  if (facts.status === 429 || facts.status === 503) {
    return new CnmError('throttled', `${what}: ${facts.status}${code}: the service is throttling`, {
      ...opts,
      hint: 'retried already; wait and run again',
    });
  }
  if (facts.status !== undefined) {
    return new CnmError('azure', `${what}: Azure answered ${facts.status}${code}`, opts);
  }
  const net = networkCode(err);
  if (net) {
    return new CnmError('network', `${what}: ${NETWORK_CODES[net]} (${net})`, {
      ...opts,
      hint: 'check the endpoint and that the service (or Azurite) is running',
    });
  }
  if (isTimeout(err)) {
    return new CnmError('timeout', `${what}: no answer within the --timeout`, {
      ...opts,
      hint: 'raise --timeout or check the network',
    });
  }
  const message = (err as RestErrorLike)?.message ?? String(err);
  if (/credential|authenticat|token/i.test(message)) {
    return new CnmError('auth', `${what}: ${message.split('\n')[0]}`, {
      ...opts,
      hint: 'sign in (az login) or pass --connection-string / --sas / --account-key',
    });
  }
  return new CnmError('network', `${what}: ${message.split('\n')[0]}`, opts);
}
