/**
 * A report larger than a pipe holds (64 KiB) reaches a reader that is slower than cnm whole: Node writes the rest of
 * it asynchronously, and cnm used to exit before it had (`cnm stats --json | tee` kept 65,536 bytes, with exit 0).
 * A reader that goes away (`| head`) still ends the run quietly, with the report's exit code.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CNM, cleanEnv } from '../helpers/run-cli.js';
import { analyticsText, START } from '../helpers/stats-workload.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-large-output-'));
const log = join(dir, 'v2.log');
// A minute a bucket over three days: a JSON report of ~500 KB.
const ARGS = ['stats', '--logs', log, '--since', START, '--until', '2026-11-27T00:00:00Z', '--bucket', '1m', '--json'];

beforeAll(() => writeFileSync(log, analyticsText('2.0')));

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs cnm with its stdout read only after `waitMs` (a slow reader), or destroyed after its first chunk. */
async function run(args: string[], reader: { waitMs: number } | 'first-chunk'): Promise<Run> {
  const child = spawn(process.execPath, [CNM, ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const out: Buffer[] = [];
  if (reader === 'first-chunk') {
    const [first] = (await once(child.stdout, 'data')) as [Buffer];
    out.push(first);
    child.stdout.destroy();
  } else {
    // Nothing read meanwhile: the pipe and Node's read-ahead fill, and cnm must wait for the reader.
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, reader.waitMs));
    for await (const chunk of child.stdout) out.push(chunk as Buffer);
  }
  const code = await exited;
  return { code, stdout: Buffer.concat(out), stderr };
}

describe('output larger than a pipe holds', () => {
  it('reaches a slow reader whole, and the run then ends with its exit code', async () => {
    const r = await run(ARGS, { waitMs: 1500 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(4 * 65_536);
    const report = JSON.parse(r.stdout.toString('utf8'));
    expect(report.series).toHaveLength(3 * 24 * 60);
  }, 30_000);

  it('a reader that goes away after its first chunk: no error, the exit code kept', async () => {
    const r = await run(ARGS, 'first-chunk');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 30_000);
});
