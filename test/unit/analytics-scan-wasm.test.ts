/**
 * The WebAssembly scanner is committed compiled (src/parse/wasm/analytics-scan.wasm.ts) so the sources run without a
 * build step: it must be exactly what its AssemblyScript source compiles to today (`npm run build:wasm` after an edit).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script, plain JavaScript without types.
import { compileScanner, moduleText } from '../../scripts/build-wasm.mjs';

describe('the committed WebAssembly scanner', () => {
  it('is what src/parse/wasm/analytics-scan.as.ts compiles to, with its own memory and on a shared one', async () => {
    const committed = readFileSync(new URL('../../src/parse/wasm/analytics-scan.wasm.ts', import.meta.url), 'utf8');
    expect(committed).toBe(moduleText(await compileScanner(), await compileScanner(true)));
  });
});
