import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = resolve(import.meta.dirname, '../../src/core');
const FORBIDDEN = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](node:fs|fs|node:fs\/promises|node:net|net|node:http|node:https|http|https|@azure\/[^'"]*|chalk|cli-table3|commander)['"]/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('src/core is pure', () => {
  it.each(files(CORE).map((f) => [f.slice(CORE.length + 1), f]))('%s imports no I/O, Azure SDK or CLI library', (_name, file) => {
    const match = FORBIDDEN.exec(readFileSync(file, 'utf8'));
    expect(match?.[1]).toBeUndefined();
  });
});
