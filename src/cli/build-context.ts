/** Builds a command's Context from commander's parsed globals (one place, shared by every command). */
import { existsSync } from 'node:fs';
import type { Context } from '../commands/context.js';
import { CnmError } from '../core/errors.js';
import { oneLine } from '../core/one-line.js';
import { createProgress } from '../core/progress.js';
import type { Secrets } from '../core/redact.js';
import type { ReportCommand } from '../core/reports.js';
import { commandsFor, formatsFor } from '../render/render.js';
import { parseGlobalOptions } from './global-options.js';

/**
 * The bundle puts its worker scripts beside its entry (scripts/build.mjs), and this module in the entry or in its
 * chunks/ folder; the sources run without them.
 */
const workers = ['./', '../']
  .map((dir) => new URL(dir, import.meta.url))
  .find((dir) => existsSync(new URL('origin-worker.mjs', dir)));

export function buildContext(
  globals: Record<string, unknown>,
  command: ReportCommand,
  secrets: Secrets,
  exitTasks: Set<() => Promise<void>>,
): Context {
  const options = parseGlobalOptions(globals);
  const allowed = formatsFor(command);
  if (!allowed.includes(options.format)) {
    throw new CnmError(
      'usage',
      `--format ${options.format} is for ${commandsFor(options.format).join(', ')}, not ${command}`,
      {
        hint: `use ${allowed.join(', ')}`,
      },
    );
  }
  const progressShown = Boolean(process.stderr.isTTY) && !options.quiet;
  return {
    options,
    env: process.env,
    // Every line that leaves the process is scrubbed, like the report: a captured header may hold a key.
    // …and kept to one line: a note may echo a path or a field of the input.
    stderr: (line) => {
      process.stderr.write(`${oneLine(secrets.scrub(line.endsWith('\n') ? line.slice(0, -1) : line))}\n`);
    },
    progress: (total) => createProgress(progressShown, (text) => process.stderr.write(text), total),
    secrets,
    onExit: (task) => {
      exitTasks.add(task);
      return () => exitTasks.delete(task);
    },
    ...(workers ? { workers } : {}),
  };
}
