/** Builds a command's Context from commander's parsed globals (one place, shared by every command). */
import { parseGlobalOptions, type Context } from './context.js';
import { CnmError } from './errors.js';

/** Formats that only some commands render; elsewhere they are a usage error rather than silent JSON. */
const ONLY_FOR: Record<string, string[]> = { junit: ['preflight'] };

let current: Context | undefined;

export function contextFor(globals: Record<string, unknown>, command?: string): Context {
  const options = parseGlobalOptions(globals);
  const allowed = ONLY_FOR[options.format];
  if (command && allowed && !allowed.includes(command)) {
    throw new CnmError('usage', `--format ${options.format} is for ${allowed.join(', ')}, not ${command}`, { hint: 'use table, json or markdown' });
  }
  current = {
    options,
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
