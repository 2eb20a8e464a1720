/**
 * `--logs <folder>`: the files of a folder are read in one order on every machine — by their names' code units, not
 * by the process's locale (whose collation puts `a.log` before `B.log`, and may order `-` and `_` apart).
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { walkLogPaths } from '../../src/logs/walk.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('walkLogPaths', () => {
  it('reads a folder in code-unit order of its names, folders included, whatever the locale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnm-walk-'));
    dirs.push(dir);
    for (const name of ['b.log', 'B.log', 'a_1.log', 'a-1.log', 'a.log', '10.log', '9.log'])
      writeFileSync(join(dir, name), '');
    mkdirSync(join(dir, 'Z'));
    writeFileSync(join(dir, 'Z', 'x.log'), '');
    const { files } = await walkLogPaths([dir], {});
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      '10.log',
      '9.log',
      'B.log',
      'Z/x.log',
      'a-1.log',
      'a.log',
      'a_1.log',
      'b.log',
    ]);
  });

  it('reads each file once: named twice, inside a folder also named, or through a link to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnm-walk-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a.log'), '');
    writeFileSync(join(dir, 'b.log'), '');
    const link = join(tmpdir(), `cnm-walk-link-${process.pid}.log`);
    rmSync(link, { force: true });
    symlinkSync(join(dir, 'a.log'), link);
    const a = join(dir, 'a.log');
    const { files, notes } = await walkLogPaths([a, a, dir, link], {});
    rmSync(link);
    expect(files).toEqual([a, join(dir, 'b.log')]);
    expect(notes).toEqual([
      `${a}: the same file as one read already, read once`,
      `${a}: the same file as one read already, read once`,
      `${link}: the same file as one read already, read once`,
    ]);
  });
});
