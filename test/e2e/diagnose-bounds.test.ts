import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const FX = new URL('../fixtures/diagnose/', import.meta.url).pathname;
const ID = '470b9e55-201e-0137-5c45-cdd293000000';

describe('diagnose: --since/--until bound a local file with no hour in its name', () => {
  it('a request logged on 2026-11-24 is not found with --until 2026-01-01 → exit 4 naming the range', async () => {
    const r = await runCli([
      'diagnose',
      '--request-id',
      ID,
      '--logs',
      join(FX, 'race.log'),
      '--until',
      '2026-01-01T00:00:00Z',
    ]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/2026-01-01/);
  });

  it('the same request inside the bounds is found → exit 0', async () => {
    const r = await runCli([
      'diagnose',
      '--request-id',
      ID,
      '--logs',
      join(FX, 'race.log'),
      '--since',
      '2026-11-24T00:00:00Z',
      '--until',
      '2026-11-25T00:00:00Z',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).requestId).toBe(ID);
  });
});
