/** e2e: runs the real bin/cnm.js (the built bundle) as a user would, asynchronously so an in-process Azurite keeps serving. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CNM = fileURLToPath(new URL('../../bin/cnm.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A clean environment: no Azure credentials leak in from the developer's shell. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' };
  return { ...env, ...extra };
}

/** `cwd`: where paths in `args` are relative to (snapshots use it so output does not depend on the checkout). */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = cleanEnv(),
  timeoutMs = 30_000,
  cwd?: string,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const options = { env, timeout: timeoutMs, encoding: 'utf8' as const, ...(cwd ? { cwd } : {}) };
    execFile(process.execPath, [CNM, ...args], options, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as { code?: unknown }).code === 'number'
          ? (err as { code: number }).code
          : -1
        : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
