import { describe, expect, it } from 'vitest';
import { colorLevel } from '../../src/cli/colors.js';
import { formatErrorLine } from '../../src/cli/format-error.js';
import { parseGlobalOptions } from '../../src/cli/global-options.js';
import { CnmError } from '../../src/core/errors.js';
import { getExitCode } from '../../src/core/exit-code.js';

describe('global options', () => {
  it('defaults: table, 30 s timeout', () => {
    expect(parseGlobalOptions({})).toMatchObject({ format: 'table', timeout: 30_000, debug: false, quiet: false });
  });
  it('--json is --format json', () => {
    expect(parseGlobalOptions({ json: true }).format).toBe('json');
  });
  it('--json with another --format is a usage error', () => {
    expect(() => parseGlobalOptions({ json: true, format: 'markdown' })).toThrow(/conflicts/);
  });
  it.each(['0', '-5', 'soon', '1e9'])('--timeout %s is refused, naming the flag', (t) => {
    expect(() => parseGlobalOptions({ timeout: t })).toThrow(/--timeout/);
  });
});

describe('colour', () => {
  it.each([
    [undefined, {}, true, 1],
    [undefined, {}, false, 0],
    [false, { FORCE_COLOR: '3' }, true, 0],
    [undefined, { NO_COLOR: '1' }, true, 0],
    [undefined, { FORCE_COLOR: '1' }, false, 1],
    [undefined, { FORCE_COLOR: '0' }, true, 0],
    [undefined, { TERM: 'dumb' }, true, 0],
  ])('--color=%s env=%j tty=%s → level %i', (opt, env, tty, level) => {
    expect(colorLevel(opt, env, tty)).toBe(level);
  });
});

describe('errors and exit codes', () => {
  it('one line: where, what, hint', () => {
    const e = new CnmError('input', 'expected a string', {
      location: { file: 'req.json', line: 3, path: 'request.url' },
      hint: 'see docs/formats.md',
    });
    expect(formatErrorLine(e)).toBe('cnm: req.json:3 request.url: expected a string — see docs/formats.md');
    expect(e.exitCode).toBe(2);
  });
  it('a message echoing 3 MB of input keeps its start, its end and the hint, and says how much it left out', () => {
    const e = new CnmError('input', `"${'x'.repeat(3_000_000)}" is not a valid container name`, { hint: 'see docs' });
    const line = formatErrorLine(e);
    expect(line.length).toBeLessThan(2200);
    expect(line).toMatch(/^cnm: "x+ … \(2998032 characters left out\) … x+" is not a valid container name — see docs$/);
  });
  it('the cut never splits a surrogate pair, and secrets are scrubbed before it (none left half-redacted)', () => {
    const emoji = formatErrorLine(new CnmError('input', 'a'.repeat(1499) + '😀' + 'b'.repeat(3000)));
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    const secret = new CnmError('input', 'a'.repeat(1495) + 'SECRETKEY123' + 'b'.repeat(3000));
    const line = formatErrorLine(secret, (t) => t.replaceAll('SECRETKEY123', 'REDACTED'));
    expect(line).not.toMatch(/SECRET|KEY123/);
  });
  it('an error echoing input with a line break, ESC or a bidi override stays one line the terminal does not obey', () => {
    const e = new CnmError('not-found', 'request a\n\u001b[31mb\u202ec\r is in none of the sources', {
      hint: 'x\u0000y',
    });
    const line = formatErrorLine(e);
    expect(line).toBe('cnm: request a\\n\\x1b[31mb\\u202ec\\r is in none of the sources — x\\x00y');
    expect(line).not.toMatch(/[\u0000-\u001f\u202e]/);
  });
  it.each([
    ['usage', 2],
    ['input', 2],
    ['auth', 3],
    ['network', 3],
    ['timeout', 3],
    ['throttled', 3],
    ['azure', 3],
    ['not-found', 4],
    ['interrupted', 130],
  ] as const)('%s → %i', (code, exit) => {
    expect(new CnmError(code, 'x').exitCode).toBe(exit);
  });
  it.each([
    [{ command: 'inspect', version: '1', exists: true }, 0],
    [{ command: 'inspect', version: '1', exists: false }, 4],
    [{ command: 'replay', version: '1', verdict: 'would-succeed' }, 0],
    [{ command: 'replay', version: '1', verdict: 'would-fail' }, 1],
    [{ command: 'replay', version: '1', verdict: 'would-fail', actual: { status: 200 } }, 0],
    [{ command: 'replay', version: '1', verdict: 'would-succeed', actual: { status: 412 } }, 1],
    [{ command: 'demo', version: '1' }, 0],
  ])('report %j → exit %i', (report, exit) => {
    expect(getExitCode(report as never)).toBe(exit);
  });
});

describe('replay --execute exit codes', () => {
  it.each([
    [412, 1],
    [409, 1],
    [304, 1],
    [400, 1],
    [404, 4],
    [403, 3],
    [401, 3],
    [429, 3],
    [503, 3],
    [200, 0],
    [201, 0],
    [202, 0],
  ])('actual %i → exit %i', (status, exit) => {
    expect(getExitCode({ command: 'replay', version: '1', verdict: 'would-fail', actual: { status } } as never)).toBe(
      exit,
    );
  });
});
