/**
 * Vitest global setup: the e2e tests spawn bin/cnm.js, which loads the built bundle in dist/. Build it when it
 * is missing or older than any source file, so no test ever runs a stale bundle (`npx vitest run <file>` too).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE = join(root, 'dist/cli/cnm.mjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function bundleTime(): number {
  try {
    return statSync(BUNDLE).mtimeMs;
  } catch {
    return 0;
  }
}

export default function setup(): void {
  const sources = Math.max(newestSource(join(root, 'src')), statSync(join(root, 'scripts/build.mjs')).mtimeMs);
  if (bundleTime() >= sources) return;
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
}
