/**
 * Paths from the command line as files the readers can use (io/input-path.ts): pipes are copied to temporary
 * files, devices refused (exit 2, naming the path). The temporary copies go when the command ends, or on Ctrl-C.
 */
import { CnmError } from '../core/errors.js';
import { resolveInput, Spool } from '../io/input-path.js';
import type { Context } from './context.js';

export interface InputFiles {
  /** Each given path's usable file, in order. */
  files: string[];
  /** Removes the temporary copies; safe to call twice. */
  cleanup(): Promise<void>;
}

export async function inputFiles(paths: readonly string[], ctx: Context): Promise<InputFiles> {
  const spool = new Spool();
  const unregister = ctx.onExit(() => spool.cleanup());
  const cleanup = async () => {
    unregister();
    await spool.cleanup();
  };
  const files: string[] = [];
  try {
    for (const path of paths) {
      const r = await resolveInput(path, spool);
      if (!r.ok) {
        const { message, ...location } = r.issue;
        throw new CnmError('input', message, { location });
      }
      files.push(r.file);
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { files, cleanup };
}
