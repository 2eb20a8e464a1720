import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// STYLE §1: src/parse is pure; only src/io reads files.
const FORBIDDEN = /^(?:node:)?(?:fs|fs\/promises|net|http|https|child_process)$|^@azure\/|^(?:chalk|cli-table3|commander)$/;
const dir = new URL('../../src/parse/', import.meta.url);

describe('src/parse stays pure', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it.each(files)('%s imports no I/O, no @azure/*, no CLI libraries', (file) => {
    const source = readFileSync(new URL(file, dir), 'utf8');
    const imports = [...source.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    expect(imports.filter((spec) => FORBIDDEN.test(spec))).toEqual([]);
  });
});
