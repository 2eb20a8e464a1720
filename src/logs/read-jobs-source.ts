/**
 * What `cnm preflight <jobs>` reads: a jobs file (JSON array or NDJSON, docs/formats.md) or a folder of capture files
 * (every format `replay` reads). Never throws for bad input: the first problem comes back as a FileIssue.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseJobs, type Job } from '../parse/jobs.js';
import type { Capture } from '../core/types.js';
import { readCaptureFile } from './read-capture-file.js';
import type { FileIssue } from '../core/issue.js';
import { toFileIssue } from './read-source.js';

interface CaptureJob {
  id: string;
  capture: Capture;
  file: string;
}

export type JobsSource =
  | { ok: true; kind: 'jobs'; file: string; jobs: Job[] }
  | { ok: true; kind: 'captures'; captures: CaptureJob[] }
  | { ok: false; issue: FileIssue };

/** Files under `dir`, sorted so job order (and the report) is the same on every machine; dotfiles skipped. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function readCaptureFolder(dir: string): Promise<JobsSource> {
  const captures: CaptureJob[] = [];
  const files = await listFiles(dir);
  // Like an empty jobs file: a gate over nothing would pass without checking anything.
  if (files.length === 0) return { ok: false, issue: { file: dir, message: 'the folder holds no capture files' } };
  for (const file of files) {
    const read = await readCaptureFile(file);
    if (!read.ok) return read;
    const name = relative(dir, file);
    read.captures.forEach((capture, i) => {
      captures.push({ id: read.captures.length > 1 ? `${name}#${i + 1}` : name, capture, file });
    });
  }
  if (captures.length === 0) {
    return {
      ok: false,
      issue: {
        file: dir,
        message:
          `no request to check in the folder's ${files.length} file${files.length === 1 ? '' : 's'} ` +
          `(logs and HAR files give only their failed conditional requests)`,
      },
    };
  }
  return { ok: true, kind: 'captures', captures };
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot read (${code ?? (err as Error).message})`;
}

export async function readJobsSource(path: string): Promise<JobsSource> {
  try {
    if ((await stat(path)).isDirectory()) return await readCaptureFolder(path);
    const parsed = parseJobs(await readFile(path, 'utf8'), path);
    return parsed.ok
      ? { ok: true, kind: 'jobs', file: path, jobs: parsed.value }
      : { ok: false, issue: toFileIssue(path, parsed.issue) };
  } catch (err) {
    return { ok: false, issue: { file: path, message: describe(err) } };
  }
}
