/** Turns whatever the SDK or the network threw into a CnmError with Azure's facts attached (rest-error.ts). */
import { CnmError } from '../core/errors.js';
import { attemptsOf } from './read-retry-policy.js';
import { azureFacts, type RestErrorLike } from './rest-error.js';
import { ownValue } from '../core/own-value.js';

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
    if (c.code && ownValue(NETWORK_CODES, c.code)) return c.code;
    const m = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)\b/.exec(c.message ?? '');
    if (m) return m[1];
    cur = c.cause;
  }
  return undefined;
}

/** Our own --timeout (timeout-policy.ts aborts the request) or the socket's: no answer in time. */
function isTimeout(err: unknown): boolean {
  const e = err as RestErrorLike;
  return e?.name === 'AbortError' || e?.code === 'ETIMEDOUT' || /timed? ?out/i.test(e?.message ?? '');
}

/** The answer began and stopped: the SDK reads the body as text and reports it as a parse error "aborted". */
function isCutBody(err: unknown): boolean {
  const e = err as RestErrorLike;
  return e?.code === 'PARSE_ERROR' && /aborted|premature|unexpected end/i.test(e.message ?? '');
}

const TLS = /EPROTO|ERR_SSL|SSL routines|wrong version number|CERT|self[- ]signed|unable to verify/i;

function tlsProblem(err: unknown): string | undefined {
  const e = err as RestErrorLike;
  const text = `${e?.code ?? ''} ${e?.message ?? ''}`;
  if (!TLS.test(text)) return undefined;
  return /CERT|self[- ]signed|unable to verify/i.test(text)
    ? `the server's TLS certificate is not trusted (${e.code ?? 'certificate error'})`
    : 'the TLS handshake failed';
}

/** "tried 3 times over 2.4 s", when a retry policy made the tries. */
function triesText(err: unknown): string {
  const a = attemptsOf(err);
  if (!a) return '';
  return a.tries === 1 ? 'tried once' : `tried ${a.tries} times over ${(a.elapsedMs / 1000).toFixed(1)} s`;
}

/** `what` names the thing being read, e.g. `blob c/b.json at https://acct.blob.core.windows.net`. */
export function toCnmError(err: unknown, what: string): CnmError {
  if (err instanceof CnmError) return err;
  const facts = azureFacts(err);
  const opts = { ...facts, cause: err };
  // The request id goes into the one line: it is what Azure support asks for first.
  const code = `${facts.errorCode ? ` ${facts.errorCode}` : ''}${facts.requestId ? ` (x-ms-request-id ${facts.requestId})` : ''}`;
  const tries = triesText(err);
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
    const asked = attemptsOf(err)?.retryAfterTooLong;
    return new CnmError(
      'throttled',
      `${what}: ${facts.status}${code}: the service is throttling${tries ? ` (${tries})` : ''}`,
      {
        ...opts,
        hint: asked
          ? `it asked to wait ${asked} s (Retry-After), longer than --timeout allows: wait, or raise --timeout`
          : 'wait a little and run again; a sustained 503 ServerBusy means the account is past its scale targets',
      },
    );
  }
  if (facts.status !== undefined) {
    return new CnmError('azure', `${what}: Azure answered ${facts.status}${code}${tries ? ` (${tries})` : ''}`, {
      ...opts,
      hint:
        facts.status >= 500
          ? 'a failure on the service side, not in your request: run again; if it lasts, give Azure support the x-ms-request-id'
          : 'Azure refused the request itself; the error code says why',
    });
  }
  const net = networkCode(err);
  if (net) {
    return new CnmError('network', `${what}: ${NETWORK_CODES[net]} (${net})${tries ? `, ${tries}` : ''}`, {
      ...opts,
      hint: 'check the endpoint and that the service (or Azurite) is running',
    });
  }
  if (isCutBody(err)) {
    return new CnmError(
      'network',
      `${what}: the connection closed before the whole answer arrived${tries ? ` (${tries})` : ''}`,
      {
        ...opts,
        hint: 'a proxy or the network cut the response: run again, or check what sits between you and the endpoint',
      },
    );
  }
  const tls = tlsProblem(err);
  if (tls) {
    return new CnmError('network', `${what}: ${tls}`, {
      ...opts,
      hint: 'an https:// URL to a plain-http endpoint fails like this (Azurite listens on http://); or the certificate is not one this machine trusts',
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
  // A system error code (EAI_FAIL, ENETDOWN, …) is the network's; anything else is a defect of cnm's, not a
  // network failure to blame on the user's connection.
  const sysCode = (err as RestErrorLike)?.code;
  if (sysCode && /^E[A-Z]+$/.test(sysCode)) return new CnmError('network', `${what}: ${message.split('\n')[0]}`, opts);
  return new CnmError('internal', `internal error while reading ${what}: ${message.split('\n')[0]}`, {
    ...opts,
    hint: 'please report it with the --debug output',
  });
}
