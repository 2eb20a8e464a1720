#!/usr/bin/env node
// Shim: loads the bundled CLI (scripts/build.mjs). Kept tiny so start-up is the bundle's alone.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

const bundle = fileURLToPath(new URL('../dist/cli/cnm.mjs', import.meta.url));
const args = process.argv.slice(2);

/**
 * `preflight` holds a report of every job; V8 lets its heap grow to several times what it keeps alive (20,000 jobs:
 * ~60 MB alive, 280 MB resident). A heap limit sized to the jobs file keeps it near what it needs; it can only be
 * set when Node starts, so this one command runs in a child Node with the limit. CNM_MAX_HEAP_MB sets it by hand.
 */
const SMALL = 512 * 1024;
const STREAM = 4 * 2 ** 20;

function heapLimitMb() {
  if (!args.includes('preflight') || process.env.CNM_HEAP_LIMITED === '1') return undefined;
  if ([...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('max-old-space-size')))
    return undefined;
  const given = Number(process.env.CNM_MAX_HEAP_MB);
  if (Number.isFinite(given) && given > 0) return given;
  // A stream (`-`, a pipe) has no size to go by: the limit as for a 4 MB file.
  const sizes = args.map((a) => {
    if (a === '-') return STREAM;
    try {
      const s = statSync(a);
      return s.isFile() ? s.size : s.isFIFO() || s.isCharacterDevice() ? STREAM : 0;
    } catch {
      return 0;
    }
  });
  const largest = Math.max(0, ...sizes);
  // Below ~8,000 jobs the default heap stays far under 256 MB, and a second Node start would cost more than it saves.
  if (largest < SMALL) return undefined;
  // ~1 KB kept per job, jobs ~65 bytes a line: 32× the file, plus what the SDK and the run need.
  return Math.min(8192, Math.round(160 + (32 * largest) / 2 ** 20));
}

/**
 * `stats` reads a big log in about a second on two threads, and V8's optimizing compiler spent about as much CPU again
 * on its hot functions, mostly inlining large ones into each other, on the same cores (600 MB bench: ~1,000 ms of
 * compile jobs, `node --trace-opt`). A smaller inlining budget than V8's 920 bytes of bytecode halves that (~550 ms)
 * with no slower code measured. Only for stats, before the bundle loads; a budget given to node by hand wins.
 */
const INLINE_BUDGET = '--max-inlined-bytecode-size-cumulative';
if (args.includes('stats') && !process.execArgv.some((a) => a.startsWith(INLINE_BUDGET)))
  setFlagsFromString(`${INLINE_BUDGET}=300`);

if (!existsSync(bundle)) {
  process.stderr.write('cnm: the CLI is not built — run `npm run build` first\n');
  process.exitCode = 2;
} else {
  const limit = heapLimitMb();
  if (limit === undefined) {
    await import(bundle);
  } else {
    const child = spawn(process.execPath, [`--max-old-space-size=${limit}`, fileURLToPath(import.meta.url), ...args], {
      stdio: 'inherit',
      env: { ...process.env, CNM_HEAP_LIMITED: '1' },
    });
    // Ctrl-C reaches the child from the terminal; a signal sent to this process alone is passed on.
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
    child.on('exit', (code, signal) => {
      process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 1);
    });
  }
}
