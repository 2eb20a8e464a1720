/** `--logs <path…>`: files as given, folders walked; files whose layout names an hour outside the bounds are skipped. */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CnmError } from '../core/errors.js';
import { describeReadError } from '../io/bounded-read.js';
import { hourInBounds, type TimeBounds } from '../core/diagnose/time-options.js';
import { hourOfPath } from './path-hour.js';
import { byCodeUnits } from '../core/code-unit-order.js';

export interface WalkResult {
  files: string[];
  /** Files left unread because their path names an hour outside the bounds. */
  skippedByTime: number;
  /** Folders that could not be listed, and entries that are no regular file (a FIFO, a device): passed over. */
  notes: string[];
}

async function walkDir(dir: string, bounds: TimeBounds, out: WalkResult): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    // A folder the user cannot read is one the search cannot cover, not a reason to stop: say so.
    out.notes.push(`skipped the folder ${dir}: ${describeReadError(err)}`);
    return;
  }
  entries.sort((a, b) => byCodeUnits(a.name, b.name));
  for (const e of entries) {
    const path = join(dir, e.name);
    const hour = hourOfPath(path);
    if (hour !== undefined && !hourInBounds(hour, bounds) && (e.isFile() || /^h=\d\d$|^\d{4}$/i.test(e.name))) {
      out.skippedByTime++;
      continue;
    }
    if (e.isDirectory()) await walkDir(path, bounds, out);
    else if (e.isFile() && !e.name.startsWith('.')) out.files.push(path);
    else if (!e.isFile() && !e.isSymbolicLink()) out.notes.push(`skipped ${path}: not a regular file`);
  }
}

export async function walkLogPaths(paths: readonly string[], bounds: TimeBounds): Promise<WalkResult> {
  const out: WalkResult = { files: [], skippedByTime: 0, notes: [] };
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CnmError('input', code === 'ENOENT' ? 'no such file or folder' : `cannot read (${code})`, {
        location: { file: p },
        hint: 'check the --logs path',
      });
    }
    if (info.isDirectory()) await walkDir(p, bounds, out);
    else out.files.push(p);
  }
  return { ...out, files: await once(out.files, out.notes) };
}

/**
 * Each file once, where it first came: a file named twice, or inside a folder also named (`--logs dir dir/a.log`),
 * or reached by a link to it, would have its requests counted twice.
 */
async function once(files: string[], notes: string[]): Promise<string[]> {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const f of files) {
    const real = await realpath(f).catch(() => f);
    if (seen.has(real)) {
      notes.push(`${f}: the same file as one read already, read once`);
      continue;
    }
    seen.add(real);
    kept.push(f);
  }
  return kept;
}
