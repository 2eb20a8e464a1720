import { describe, expect, it } from 'vitest';
import { toCnmError } from '../../src/azure/to-cnm-error.js';

/** Error objects shaped as @azure/core-rest-pipeline's RestError carries them (sdk/core/ts-http-runtime/src/restError.ts). */
function restError(statusCode: number, details: Record<string, unknown>, headers: Record<string, string> = {}) {
  return {
    name: 'RestError',
    statusCode,
    message: '',
    details,
    response: { headers: { get: (n: string) => headers[n] } },
  };
}

describe('Azure errors → one CnmError line with status, error code and request id', () => {
  it('the code comes from details.errorCode when a HEAD left message and code empty', () => {
    const e = toCnmError(
      restError(403, { errorCode: 'AuthorizationPermissionMismatch' }, { 'x-ms-request-id': 'rid-1' }),
      'blob c/b',
    );
    expect(e.exitCode).toBe(3);
    expect(e.errorCode).toBe('AuthorizationPermissionMismatch');
    expect(e.message).toBe('blob c/b: 403 AuthorizationPermissionMismatch (x-ms-request-id rid-1): access denied');
  });

  it('falls back to the x-ms-error-code header', () => {
    expect(toCnmError(restError(404, {}, { 'x-ms-error-code': 'ContainerNotFound' }), 'blob c/b')).toMatchObject({
      exitCode: 4,
      errorCode: 'ContainerNotFound',
    });
  });

  it.each([
    [429, 'throttled'],
    [503, 'throttled'],
    [500, 'azure'],
    [401, 'auth'],
  ])('status %i → %s, exit 3', (status, code) => {
    expect(toCnmError(restError(status, {}), 'x')).toMatchObject({ code, exitCode: 3 });
  });

  it.each([
    ['ECONNREFUSED', /connection refused/],
    ['ENOTFOUND', /host not found \(DNS\)/],
    ['ECONNRESET', /connection reset/],
  ])('%s → network, exit 3', (code, message) => {
    const e = toCnmError(Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code }), 'blob c/b');
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(message);
  });

  it('an abort after --timeout → timeout, exit 3', () => {
    expect(
      toCnmError(Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }), 'x'),
    ).toMatchObject({ code: 'timeout', exitCode: 3 });
  });
});
