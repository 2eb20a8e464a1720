/**
 * The layers of .dependency-cruiser.cjs hold: cli → commands → {render, logs, azure, lib} → {parse, io} → core,
 * nothing imports cli, no cycles, core and parse do no I/O. A violation fails `npm test` with depcruise's own report.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function depcruise(): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        'node_modules/dependency-cruiser/bin/dependency-cruise.mjs',
        '--config',
        '.dependency-cruiser.cjs',
        '--output-type',
        'err-long',
        'src',
      ],
      { cwd: root, encoding: 'utf8' },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

describe('architecture (dependency-cruiser)', () => {
  it('every import in src/ follows the layer rules', async () => {
    const { code, output } = await depcruise();
    expect(output).toMatch(/no dependency violations found/);
    expect(code).toBe(0);
  }, 60_000);
});
