/**
 * cnm on a real terminal: a pseudo-terminal from util-linux's `script` (always on Debian; no native npm build),
 * sized with `stty`. On a TTY the report is in colour and fits the terminal's width, and a long scan draws a
 * progress line on stderr that it clears when done; with stdout or stderr sent to a file, that stream carries no
 * colour and no progress. Nothing here asserts on time.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CNM } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-tty-'));
// Under a folder with a long name, as a CI runner's checkout is: the report quotes the path.
const DEEP = join(dir, 'a_checkout_folder_named_as_long_as_a_ci_runner_workspace_0123456789');
const RACE = join(DEEP, 'race.log');
const ID = '470b9e55-201e-0137-5c45-cdd293000000';
const BIG = join(dir, 'big.log');
const PROGRESS = 'cnm: searching';
const ESC = '\u001b';

const sh = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** Runs `command` (a shell line) on a pseudo-terminal `cols` wide; resolves to what the terminal received. */
function onTerminal(command: string, cols: number, env: Record<string, string> = {}): Promise<string> {
  // The exit code is cnm's (script -e); what the terminal showed is what the tests read.
  return new Promise((resolve) => {
    execFile(
      'script',
      ['-qefc', `stty cols ${cols} rows 50; ${command}`, '/dev/null'],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', ...env }, encoding: 'utf8' },
      (_err, stdout) => resolve(stdout.replaceAll('\r\n', '\n')),
    );
  });
}

/** The lines a person reads: progress redraws (\r…) and colour removed. */
function readLines(screen: string): string[] {
  return stripVTControlCharacters(screen.replace(/\r[^\n]*\r/g, '').replace(/\r/g, ''))
    .split('\n')
    .filter((l) => l.length);
}

const diagnose = (logs: string) => `node ${sh(CNM)} diagnose --request-id ${ID} --logs ${sh(logs)}`;

beforeAll(() => {
  mkdirSync(DEEP);
  copyFileSync(new URL('../fixtures/diagnose/race.log', import.meta.url), RACE);
  expect(execFileSync('script', ['--version'], { encoding: 'utf8' })).toMatch(/util-linux/);
  // A long scan: 40 MB of other requests' $logs lines, then the race.
  const race = readFileSync(RACE, 'utf8');
  const other = race.split('\n')[0]!.replaceAll('11111111-', '99999999-') + '\n';
  writeFileSync(BIG, other.repeat(Math.ceil(40e6 / other.length)) + race);
});

describe('on a terminal', () => {
  it.each([80, 120])('at %i columns the report is in colour and no line is wider than the terminal', async (cols) => {
    const screen = await onTerminal(diagnose(RACE), cols);
    expect(screen).toContain(`${ESC}[31m`); // red: the failed request
    expect(screen).toContain(`${ESC}[1m`); // bold: headings
    const lines = readLines(screen);
    expect(lines.join('\n')).toContain('ETag timeline');
    // Prose wraps at spaces; a path longer than the terminal stays one word (the terminal folds it, a copy keeps it).
    expect(lines.some((l) => l.includes(RACE))).toBe(true);
    for (const line of lines.filter((l) => l.length > cols)) expect(line.trim(), line).toMatch(/^\S+$/);
  });

  it('NO_COLOR turns the colour off on a terminal too', async () => {
    const screen = await onTerminal(diagnose(RACE), 100, { NO_COLOR: '1' });
    expect(screen).not.toMatch(/\u001b\[\d+m/);
    expect(screen).toContain('ETag timeline');
  });

  it('a long scan draws progress on stderr and clears it; stdout sent to a file gets neither progress nor colour', async () => {
    const out = join(dir, 'report.txt');
    const screen = await onTerminal(`${diagnose(BIG)} > ${sh(out)}`, 100);
    expect(screen).toContain(PROGRESS);
    expect(screen).toMatch(/searching \d+ MB of 38 MB/);
    expect(screen.endsWith(`\r${ESC}[2K`)).toBe(true);
    const report = readFileSync(out, 'utf8');
    expect(report).toContain('cause: stale-etag');
    expect(report).not.toContain(PROGRESS);
    expect(report).not.toContain(ESC);
  });

  it('stderr sent to a file: no progress anywhere, the report still in colour on the terminal', async () => {
    const err = join(dir, 'stderr.txt');
    const screen = await onTerminal(`${diagnose(BIG)} 2> ${sh(err)}`, 100);
    expect(screen).not.toContain(PROGRESS);
    expect(screen).toContain(`${ESC}[31m`);
    expect(readFileSync(err, 'utf8')).toBe('');
  });

  it('-q: no progress on the terminal either', async () => {
    const screen = await onTerminal(`${diagnose(BIG)} -q`, 100);
    expect(screen).not.toContain(PROGRESS);
    expect(screen).toContain('cause: stale-etag');
  });
});
