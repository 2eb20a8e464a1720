/**
 * Inputs nobody means to give, and the ones given on purpose in odd ways: a log with a run of NUL bytes from a
 * crashed disk, a "line" of megabytes, a device, a FIFO nobody writes to, pipes, a folder with a FIFO in it, a
 * folder the user cannot read, a download interrupted by Ctrl-C. Each ends with one line and the documented exit
 * code, within bounded memory, leaving nothing behind.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnalyticsLine } from '../../src/parse/storage-analytics-log.js';
import { CNM, cleanEnv, runCli } from '../helpers/run-cli.js';
import { analyticsText, ndjsonText, resourceText, START, UNTIL } from '../helpers/stats-workload.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-hostile-'));
chmodSync(dir, 0o755);
const FX = new URL('../fixtures/', import.meta.url).pathname;
const ID = '470b9e55-201e-0137-5c45-cdd293000000';
const race = readFileSync(join(FX, 'diagnose/race.log'), 'utf8');
const MB = 2 ** 20;

/** Runs cnm and follows its peak resident memory (Linux: VmHWM of /proc/<pid>/status, read until it exits). */
function runMeasured(
  args: string[],
  env = cleanEnv(),
): Promise<{ code: number | null; stdout: string; stderr: string; peakMb: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CNM, ...args], { env });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        if (kb) peak = Math.max(peak, Number(kb) / 1024);
      } catch {
        /* gone */
      }
    }, 25);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr, peakMb: peak });
    });
  });
}

describe('logs with holes and giant lines: skipped and counted, memory bounded', () => {
  it('a 300 MB run of NUL bytes in a $logs file: the request is found, the hole is one skipped line, under 256 MB', async () => {
    const file = join(dir, 'holey.log');
    writeFileSync(file, race.split('\n').slice(0, 2).join('\n') + '\n');
    // A sparse hole: what a log copied from a crashed disk looks like.
    truncateSync(file, statSync(file).size + 300 * MB);
    appendFileSync(file, '\n' + race.split('\n').slice(2).join('\n'));
    const r = await runMeasured(['diagnose', '--request-id', ID, '--logs', file, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.response.status).toBe(412);
    expect(j.searched.skippedLines).toBeGreaterThanOrEqual(1);
    expect(j.notes.join('\n')).toMatch(/holey\.log:3: longer than 16 MB .* skipped/);
    if (existsSync('/proc/self/status')) expect(r.peakMb).toBeLessThan(256);
  });

  it('cnm stats over a $logs file with 20 million blank lines in it: the same counts as without them, under 256 MB', async () => {
    const file = join(dir, 'blank.log');
    const lines = race.trim().split('\n');
    writeFileSync(file, lines[0] + '\n' + '\n'.repeat(20_000_000) + lines.slice(1).join('\n') + '\n');
    const range = ['--since', '2026-11-24T00:00:00Z', '--until', '2026-11-25T00:00:00Z', '--json'];
    const r = await runMeasured(['stats', '--logs', file, ...range]);
    expect(r.code, r.stderr).toBe(0);
    const without = await runCli(['stats', '--logs', join(FX, 'diagnose/race.log'), ...range]);
    const counts = (j: any) => ({ totals: j.totals, skipped: j.skipped, byOrigin: j.byOrigin });
    expect(counts(JSON.parse(r.stdout))).toEqual(counts(JSON.parse(without.stdout)));
    if (existsSync('/proc/self/status')) expect(r.peakMb).toBeLessThan(256);
  }, 60_000);

  it('cnm stats over $logs lines with bytes changed at random: each line the $logs parser refuses is skipped, every other one counted, never an internal error', async () => {
    // Seeded, so a failure reproduces (CNM_FUZZ_SEED tries another): a byte replaced by one that means something to
    // the format, or dropped.
    let seed = Number(process.env.CNM_FUZZ_SEED ?? 20261202);
    const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const bytes = [';', '"', '&', '&amp;', '0', '9', ':', '-', '.', 'T', 'Z', 'a', ' ', 'é', ''];
    const lines = analyticsText('2.0').trimEnd().split('\n');
    const mutated = lines.map((line, i) => {
      if (i < 5) return line;
      let out = line;
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        const at = Math.floor(random() * out.length);
        out = out.slice(0, at) + bytes[Math.floor(random() * bytes.length)]! + out.slice(at + 1);
      }
      return out;
    });
    const file = join(dir, 'mutated.log');
    writeFileSync(file, mutated.join('\n') + '\n');
    const refused = mutated.filter((l) => l.trim() !== '' && !parseAnalyticsLine(l, 1).ok).length;
    const r = await runCli(['stats', '--logs', file, '--since', START, '--until', UNTIL, '--json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(refused).toBeGreaterThan(200);
    expect(j.skipped).toBe(refused);
    expect(j.totals.requests + j.outOfRange + j.skipped).toBe(mutated.filter((l) => l.trim() !== '').length);
  }, 60_000);

  it('cnm stats: a truncated line in a later batch is skipped, not counted as the read the scanner held in its slot before', async () => {
    // Batches of 16,384 lines from one window: line 16,385 takes line 1's place in the scanner's memory.
    const read = (at: string, blob: string) =>
      `2.0;${at};GetBlob;Success;200;5;4;authenticated;acct;acct;blob;"https://acct.blob.core.windows.net/c/${blob}";` +
      `"/acct/c/${blob}";id-1;0;10.0.0.1:5000;2025-01-05;;;;;;;;;;;"ua";;c-1;;;;;;;;`;
    const lines = Array<string>(32_768).fill('');
    lines[0] = read('2026-11-23T10:00:00.1234567Z', 'old');
    lines[16_384] = '2.0;2026-11-24T01:00:00.0000000Z;PutBlob;truncated';
    lines[16_385] = read('2026-11-24T12:00:00.1234567Z', 'new');
    const file = join(dir, 'slots.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = await runCli(['stats', '--logs', file, '--since', START, '--until', '2026-11-25T00:00:00Z', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect({ requests: j.totals.requests, skipped: j.skipped, outOfRange: j.outOfRange }).toEqual({
      requests: 1,
      skipped: 1,
      outOfRange: 1,
    });
  });

  it('cnm stats and diagnose over resource-log records and captures with bytes changed at random: skipped lines, never an internal error', async () => {
    let seed = Number(process.env.CNM_FUZZ_SEED ?? 20261202);
    const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const bytes = ['"', ',', ':', '{', '}', '[', ']', 'null', '\\', '1e999', '-1', 'T', 'Z', 'é', ''];
    for (const [name, text] of [
      ['resource', resourceText()],
      ['captures', ndjsonText()],
    ] as const) {
      const mutated = text
        .trimEnd()
        .split('\n')
        .map((line, i) => {
          if (i < 3 || random() < 0.5) return line;
          const at = Math.floor(random() * line.length);
          return line.slice(0, at) + bytes[Math.floor(random() * bytes.length)]! + line.slice(at + 1);
        });
      const file = join(dir, `mutated-${name}.log`);
      writeFileSync(file, mutated.join('\n') + '\n');
      const r = await runCli(['stats', '--logs', file, '--since', START, '--until', UNTIL, '--json']);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).skipped).toBeGreaterThan(0);
      const failure = mutated.find((l) => l.includes('412') && /"[0-9a-f]{8}-[0-9a-f-]{27}"/.test(l));
      const id = /"([0-9a-f]{8}-[0-9a-f-]{27})"/.exec(failure ?? '')?.[1];
      expect(id, name).toBeDefined();
      if (id) {
        const d = await runCli(['diagnose', '--request-id', id, '--logs', file, '--json']);
        expect(d.stderr).not.toMatch(/internal error|\n\s+at /);
        expect([0, 1, 4], d.stderr).toContain(d.code);
      }
    }
  }, 60_000);

  it('a request id only inside a line past the limit: not found (exit 4) saying a line was skipped, never exit 70', async () => {
    const file = join(dir, 'giant.log');
    const hidden = '99999999-201e-0137-5c45-cdd293000000';
    writeFileSync(file, race + 'x'.repeat(3 * MB) + hidden);
    const r = await runCli(
      ['diagnose', '--request-id', hidden, '--logs', file],
      cleanEnv({ NO_COLOR: '1', CNM_MAX_LINE_MB: '1' }),
    );
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/1 line longer than 1 MB .*skipped unread/);
  });

  it('a request id only on a malformed line: not found (exit 4) naming the line that was not searched', async () => {
    const file = join(dir, 'malformed-only.log');
    const hidden = '88888888-201e-0137-5c45-cdd293000000';
    const fields = race.split('\n')[0]!.split(';');
    fields[4] = 'abc';
    fields[13] = hidden;
    writeFileSync(file, `${fields.join(';')}\n`);
    const r = await runCli(['diagnose', '--request-id', hidden, '--logs', file], cleanEnv({ NO_COLOR: '1' }));
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /not searched, so it may be there: .*malformed-only\.log:1 http-status-code: not an HTTP status/,
    );
  });
});

describe('devices, FIFOs and pipes', () => {
  it('a device is refused at once with one line, exit 2 (preflight /dev/zero no longer reads 512 MB)', async () => {
    for (const args of [
      ['preflight', '/dev/zero'],
      ['replay', '/dev/zero'],
      ['diagnose', '--request-id', ID, '--logs', '/dev/zero'],
    ]) {
      const r = await runMeasured(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/\/dev\/zero: is a character device, not an input file/);
      if (existsSync('/proc/self/status')) expect(r.peakMb).toBeLessThan(256);
    }
  });

  it('a FIFO nobody writes to: exit 2 at once, not a hang', async () => {
    const fifo = join(dir, 'nobody.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(['replay', fifo], cleanEnv(), 10_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing came through the pipe/);
  });

  it('a capture piped in (-, /dev/stdin) or given as <(…) is read like a file', async () => {
    const capture = join(FX, 'captures/request.json');
    const shell = (cmd: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('bash', ['-c', cmd], { env: { ...cleanEnv(), CNM } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    for (const cmd of [
      `cat "${capture}" | node "$CNM" diagnose - --json`,
      `cat "${capture}" | node "$CNM" diagnose /dev/stdin --json`,
      `node "$CNM" diagnose <(cat "${capture}") --json`,
    ]) {
      const r = await shell(cmd);
      expect(r.stderr).not.toMatch(/ESPIPE|cannot read/);
      expect([0, 4]).toContain(r.code);
    }
    const logs = await shell(
      `node "$CNM" diagnose --request-id ${ID} --logs <(cat "${join(FX, 'diagnose/race.log')}") --json`,
    );
    expect(logs.code).toBe(0);
    expect(JSON.parse(logs.stdout).requestId).toBe(ID);
  });

  it('a folder of logs holding a FIFO: the FIFO is skipped with a note, the search goes on', async () => {
    const folder = join(dir, 'with-fifo');
    mkdirSync(folder);
    writeFileSync(join(folder, 'race.log'), race);
    execFileSync('mkfifo', [join(folder, 'stray.fifo')]);
    const r = await runCli(['diagnose', '--request-id', ID, '--logs', folder, '--json'], cleanEnv(), 15_000);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).notes.join('\n')).toMatch(/skipped .*stray\.fifo: not a regular file/);
  });

  it('a sub-folder the user cannot read: skipped with a note naming it, not exit 70', async () => {
    const folder = join(dir, 'locked');
    mkdirSync(join(folder, 'secret'), { recursive: true });
    writeFileSync(join(folder, 'race.log'), race);
    chmodSync(join(folder, 'secret'), 0o000);
    // Root reads anything: as root, run cnm as nobody (setpriv, util-linux), as CI does.
    const asRoot = process.getuid?.() === 0;
    const hasSetpriv = asRoot && existsSync('/usr/bin/setpriv');
    if (asRoot && !hasSetpriv) return;
    // As nobody, cnm itself must be readable: a checkout under /root is not, and then this cannot be shown here.
    if (asRoot) {
      const probe = spawnSync('setpriv', [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        CNM,
        '--version',
      ]);
      if (probe.status !== 0) {
        console.warn(
          'skipped: the checkout is not readable by nobody, so an unreadable folder cannot be shown as root',
        );
        return;
      }
    }
    const argv = ['diagnose', '--request-id', ID, '--logs', folder, '--json'];
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = asRoot
        ? spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CNM, ...argv], {
            env: cleanEnv(),
          })
        : spawn(process.execPath, [CNM, ...argv], { env: cleanEnv() });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('close', (code) => resolve({ code, stdout }));
    });
    chmodSync(join(folder, 'secret'), 0o755);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).notes.join('\n')).toMatch(/skipped the folder .*secret: permission denied/);
  });
});

describe('Ctrl-C leaves nothing behind', () => {
  it('interrupted while piped input was copied: exit 130, one line, no temporary folder left', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const child = spawn(
      'bash',
      [
        '-c',
        `(cat "${join(FX, 'diagnose/race.log')}"; sleep 30) | exec node "$CNM" diagnose --request-id ${ID} --logs -`,
      ],
      {
        env: { ...cleanEnv(), CNM, TMPDIR: tmp },
        detached: true,
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const copying = () => readdirSync(tmp).some((d) => d.startsWith('cnm-input-'));
    for (let waited = 0; !copying() && waited < 15_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(copying()).toBe(true);
    process.kill(-child.pid!, 'SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(code).toBe(130);
    expect(stderr.trim()).toBe('cnm: interrupted');
    expect(readdirSync(tmp).filter((d) => d.startsWith('cnm-'))).toEqual([]);
  });
});

describe('input echoed in an error is one line the terminal shows, not obeys', () => {
  it('a request id with a line break, an ESC colour sequence and a bidi override → one escaped line, exit 4', async () => {
    const id = 'abc\n\u001b[31mRED\u202e';
    const r = await runCli(['diagnose', '--request-id', id, '--logs', join(FX, 'diagnose/race.log')]);
    expect(r.code).toBe(4);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('request abc\\n\\x1b[31mRED\\u202e is in none of the sources');
    expect(r.stderr).not.toMatch(/[\u001b\u202e]/);
  });

  it('a $logs user agent holding &#27; (ESC) → escaped in table and markdown, kept as it is in JSON', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'cnm-esc-'));
    const file = join(tmp, 'evil.log');
    const race = readFileSync(join(FX, 'diagnose/race.log'), 'utf8');
    writeFileSync(file, race.replace('"writer-B/2.0"', '"writer-&#27;[31mEVIL&#8238;B"'));
    const id = '22222222-201e-0137-5c45-cdd293000000';
    // Markdown escapes its own punctuation too (the backslashes and the bracket render as themselves).
    for (const [format, shown] of [
      ['table', 'writer-\\x1b[31mEVIL\\u202eB'],
      ['markdown', 'writer-\\\\x1b\\[31mEVIL\\\\u202eB'],
    ]) {
      const r = await runCli(['diagnose', '--request-id', id, '--logs', file, '--format', format!, '--no-color']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(shown);
      expect(r.stdout).not.toMatch(/[\u001b\u202e]/);
    }
    const j = await runCli(['diagnose', '--request-id', id, '--logs', file, '--json']);
    expect(j.stdout).toContain('writer-\\u001b[31mEVIL\u202eB');
  });

  it('a user agent holding markdown (an image, a link, HTML) → shown as text in --format markdown, no image, link or tag', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'cnm-md-'));
    const file = join(tmp, 'md.log');
    const race = readFileSync(join(FX, 'diagnose/race.log'), 'utf8');
    const ua = '![x](https://evil.example/t.png) [click](https://evil.example) <img src=x> *b* _i_ `c`';
    writeFileSync(file, race.replace('"writer-B/2.0"', `"${ua}"`));
    const r = await runCli([
      'diagnose',
      '--request-id',
      '22222222-201e-0137-5c45-cdd293000000',
      '--logs',
      file,
      '--format',
      'markdown',
    ]);
    expect(r.code).toBe(0);
    const escaped =
      '!\\[x\\](https://evil.example/t.png) \\[click\\](https://evil.example) \\<img src=x\\> \\*b\\* \\_i\\_ \\`c\\`';
    expect(r.stdout).toContain(escaped);
    expect(r.stdout).not.toMatch(/(?<!\\)\[click\]|(?<!\\)<img|(?<!\\)!\[x\]/);
  });

  it('backticks in a log field cannot end a code span or a code block early: the request ids and the next command stay code', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'cnm-fence-'));
    const lines = readFileSync(join(FX, 'diagnose/race.log'), 'utf8').split('\n');
    const field = (i: number, n: number, value: string) => {
      const f = lines[i]!.split(';');
      f[n] = value;
      lines[i] = f.join(';');
    };
    const last = lines.findIndex((l) => l.includes('470b9e55-901e'));
    // The last failure's request id closes a ``` block and opens an image; its status text carries an ESC.
    field(last, 13, 'x&#10;```&#10;![x](https://evil.example/t.png)&#10;```');
    field(last, 3, 'Cond&#27;[31mEVIL');
    // The first write's client request id closes a `span` and opens a tag and a link (replaced by value: the ETag
    // field's &quot; holds `;`, so a split by `;` does not index the later fields).
    lines[0] = lines[0]!.replace(
      'aaaaaaaa-0000-4000-8000-000000000001',
      'x`<img src=https://evil.example/t.png> [click](https://evil.example)`',
    );
    const file = join(tmp, 'race.log');
    writeFileSync(file, lines.join('\n'));
    const range = ['--since', '2026-11-24T17:00:00Z', '--until', '2026-11-24T19:00:00Z'];
    const md = await runCli(['stats', '--logs', file, ...range, '--format', 'markdown']);
    expect(md.code).toBe(0);
    const out = md.stdout.split('\n');
    const open = out.indexOf('````sh');
    const close = out.indexOf('````', open + 1);
    const image = out.findIndex((l) => l.includes('![x](https://evil.example/t.png)'));
    expect(open).toBeGreaterThan(-1);
    expect(image).toBeGreaterThan(open);
    expect(image).toBeLessThan(close);
    const table = await runCli(['stats', '--logs', file, ...range, '--no-color']);
    expect(table.stdout).toContain('Cond\\x1b[31mEVIL');
    expect(table.stdout).not.toMatch(/\u001b/);
    const d = await runCli([
      'diagnose',
      '--request-id',
      '11111111-201e-0137-5c45-cdd293000000',
      '--logs',
      file,
      '--format',
      'markdown',
    ]);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain('`` x`<img src=https://evil.example/t.png> [click](https://evil.example)` ``');
  });
});
