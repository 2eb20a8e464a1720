/** e2e: the real bin/cnm.js diagnose rejects time options it cannot read as a time, with exit 2 and one line. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const logs = join(mkdtempSync(join(tmpdir(), 'cnm-diag-time-')), 'empty.log');
writeFileSync(logs, '');

describe('cnm diagnose time options', () => {
  it.each([
    ['--since', '99999999999d', /^cnm: --since: "99999999999d" is too long \(at most 36500d\)/],
    ['--until', '99999999999d', /^cnm: --until: "99999999999d" is too long/],
    ['--window', '99999999999d', /^cnm: --window: "99999999999d" is too long/],
    ['--since', '5', /^cnm: --since: "5" is neither a duration \(30s, 5m, 2h, 7d\) nor an ISO 8601 time/],
    ['--since', '2026', /^cnm: --since: "2026" is neither a duration/],
    ['--time', '0', /^cnm: --time: "0" is neither a duration/],
  ])('%s %s → exit 2, one clear line, no internal error', async (flag, value, message) => {
    const r = await runCli(['diagnose', '--request-id', 'x', '--logs', logs, flag, value]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('--analytics-logs --since 2h without --until or --time means "until now": it goes on to list $logs (here: refused, exit 3), not "needs a time"', async () => {
    const account = [
      '--account-url',
      `http://127.0.0.1:9/${DEV_ACCOUNT}`,
      '--account-name',
      DEV_ACCOUNT,
      '--account-key',
      DEV_KEY,
      '--timeout',
      '2000',
    ];
    const r = await runCli(
      ['diagnose', '--request-id', 'x', '--analytics-logs', '--since', '2h', ...account],
      cleanEnv(),
      60_000,
    );
    expect(r.stderr).not.toMatch(/needs a time/);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/connection refused/);
  }, 70_000);
});
