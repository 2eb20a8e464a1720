/** Builds a command's Context from commander's parsed globals (one place, shared by every command). */
import { parseGlobalOptions, type Context } from './context.js';

let current: Context | undefined;

export function contextFor(globals: Record<string, unknown>): Context {
  current = {
    options: parseGlobalOptions(globals),
    env: process.env,
    stderr: (line) => process.stderr.write(line.endsWith('\n') ? line : `${line}\n`),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    secrets: [],
  };
  return current;
}

/** The context of the command that ran, so the one catch can redact with the secrets it learned. */
export function currentContext(): Context | undefined {
  return current;
}
