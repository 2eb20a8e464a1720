/**
 * A path given on the command line, made into something every reader can use: a regular file (read by position,
 * more than once: format detection looks at the head, then the parser reads from the start). A pipe given on
 * purpose (`-` for standard input, `/dev/stdin` piped, `<(…)`, a named FIFO) is copied to a temporary file first;
 * a FIFO nobody writes to is an error at once, never a hang. Devices (`/dev/zero`, a terminal) are refused: they
 * are not input files and some never end.
 */
import { constants, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileIssue } from '../core/issue.js';
import { describeReadError } from './bounded-read.js';

/** Bytes copied from one pipe at most: a pipe that keeps going is not a log someone meant to pass. */
function maxPipeBytes(): number {
  const mb = Number(process.env.CNM_MAX_PIPE_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 4096) * 2 ** 20;
}

const POLL_MS = 20;

/** Temporary copies of piped inputs, removed by `cleanup` (on exit, and on Ctrl-C through the caller's hook). */
export class Spool {
  private dir: Promise<string> | undefined;
  private count = 0;

  private folder(): Promise<string> {
    this.dir ??= mkdtemp(join(tmpdir(), 'cnm-input-'));
    return this.dir;
  }

  async file(label: string): Promise<string> {
    return join(await this.folder(), `${this.count++}-${label.replace(/[^\w.-]+/g, '_')}`);
  }

  async cleanup(): Promise<void> {
    if (this.dir) await rm(await this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

type Resolved = { ok: true; file: string } | { ok: false; issue: FileIssue };

async function copyStream(chunks: AsyncIterable<Buffer>, to: string, label: string): Promise<Resolved> {
  const max = maxPipeBytes();
  const out = createWriteStream(to);
  let total = 0;
  try {
    for await (const chunk of chunks) {
      total += chunk.length;
      if (total > max) {
        return {
          ok: false,
          issue: {
            file: label,
            message: `more than ${max / 2 ** 20} MB on the pipe (CNM_MAX_PIPE_MB): save it to a file`,
          },
        };
      }
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  } finally {
    await new Promise<void>((r) => out.end(() => r()));
  }
  if (total === 0)
    return {
      ok: false,
      issue: { file: label, message: 'nothing came through the pipe (no writer, or it wrote nothing)' },
    };
  return { ok: true, file: to };
}

/**
 * Reads a pipe opened non-blocking: no writer → end of input at once (rather than blocking in open(2) for ever);
 * a writer with nothing to say yet → wait a little and read again.
 */
async function* pipeChunks(path: string): AsyncGenerator<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buf, 0, buf.length, null));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        await new Promise((r) => setTimeout(r, POLL_MS));
        continue;
      }
      if (bytesRead === 0) return;
      yield Buffer.from(buf.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

/** `path` as a regular file (or a folder, left to the caller), a temporary copy of a pipe, or an issue. */
export async function resolveInput(path: string, spool: Spool): Promise<Resolved> {
  if (path === '-') {
    if (process.stdin.isTTY)
      return {
        ok: false,
        issue: { file: '-', message: 'standard input is a terminal: pipe a file into it, or name the file' },
      };
    return copyStream(process.stdin as AsyncIterable<Buffer>, await spool.file('stdin'), 'standard input');
  }
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, issue: { file: path, message: missing ? 'no such file or folder' : describeReadError(err) } };
  }
  if (info.isFile() || info.isDirectory()) return { ok: true, file: path };
  if (info.isFIFO() || info.isSocket()) {
    try {
      return await copyStream(pipeChunks(path), await spool.file(path), path);
    } catch (err) {
      return { ok: false, issue: { file: path, message: describeReadError(err) } };
    }
  }
  const kind = info.isCharacterDevice() ? 'a character device' : info.isBlockDevice() ? 'a block device' : 'not a file';
  return {
    ok: false,
    issue: { file: path, message: `is ${kind}, not an input file (pass a file, a pipe, or - for standard input)` },
  };
}
