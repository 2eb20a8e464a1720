/**
 * What `cnm preflight <jobs>` reads: a jobs file (JSON array or NDJSON, docs/formats.md) or a folder of capture files
 * (every format `replay` reads). Never throws for bad input: the first problem comes back as a FileIssue.
 */
import { readdir, stat } from 'node:fs/promises';
import { readDocumentText } from '../io/bounded-read.js';
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

/** A folder of captures that cannot be read whole: a gate must not pass over captures it could not list. */
class UnreadableFolder extends Error {
  constructor(readonly issue: FileIssue) {
    super(issue.message);
  }
}

/** Files under `dir`, sorted so job order (and the report) is the same on every machine; dotfiles skipped. */
async function listFiles(dir: string, out: string[] = []): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new UnreadableFolder({ file: dir, message: describe(err) });
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await listFiles(path, out);
    else if (e.isFile() && !e.name.startsWith('.')) out.push(path);
  }
  return out.sort();
}

async function readCaptureFolder(dir: string): Promise<JobsSource> {
  const captures: CaptureJob[] = [];
  let files: string[];
  try {
    files = await listFiles(dir);
  } catch (err) {
    if (err instanceof UnreadableFolder) return { ok: false, issue: err.issue };
    throw err;
  }
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
    const text = await readDocumentText(path, 'a jobs file');
    if (!text.ok) return text;
    const parsed = parseJobs(text.text, path);
    return parsed.ok
      ? { ok: true, kind: 'jobs', file: path, jobs: parsed.value }
      : { ok: false, issue: toFileIssue(path, parsed.issue) };
  } catch (err) {
    return { ok: false, issue: { file: path, message: describe(err) } };
  }
}
