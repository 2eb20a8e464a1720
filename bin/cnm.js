#!/usr/bin/env node
// Shim: loads the bundled CLI (scripts/build.mjs). Kept tiny so start-up is the bundle's alone.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli/cnm.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('cnm: the CLI is not built — run `npm run build` first\n');
  process.exitCode = 2;
} else {
  await import(bundle);
}
