// Build: tsc emits the library (dist/**, with .d.ts), esbuild bundles the CLI into dist/cli/cnm.mjs.
// The bundle is what bin/cnm.js loads: one file parses far faster than hundreds (it halved the SDK's import time),
// and code splitting keeps each command's lazy import() a separate chunk.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit' });
} catch {
  console.error('build: tsc reported errors (above)');
  process.exit(1);
}

await build({
  // The stats workers sit beside the entry, where cli/build-context.ts looks for them.
  entryPoints: {
    cnm: 'src/cli/index.ts',
    'origin-worker': 'src/logs/origin-worker.ts',
    'scan-worker': 'src/logs/scan-worker.ts',
  },
  outdir: 'dist/cli',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // Loaded lazily and only on their paths; azurite is an optional dependency used by `cnm demo`.
  external: ['@azure/identity', '@azure/monitor-query-logs', 'azurite'],
  banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
  logLevel: 'warning',
});
