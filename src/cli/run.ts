/** Builds a command's Context from commander's parsed globals (one place, shared by every command). */
import { parseGlobalOptions, type Context } from './context.js';
import { CnmError } from './errors.js';
import { redactText } from '../core/redact.js';

/** Formats that only some commands render; elsewhere they are a usage error rather than silent JSON. */
const ONLY_FOR: Record<string, string[]> = { junit: ['preflight'] };

let current: Context | undefined;

export function contextFor(globals: Record<string, unknown>, command?: string): Context {
  const options = parseGlobalOptions(globals);
  const allowed = ONLY_FOR[options.format];
  if (command && allowed && !allowed.includes(command)) {
    throw new CnmError('usage', `--format ${options.format} is for ${allowed.join(', ')}, not ${command}`, { hint: 'use table, json or markdown' });
  }
  const secrets: string[] = [];
  current = {
    options,
    env: process.env,
    // Every line that leaves the process is scrubbed, like the report: a captured header may hold a key.
    stderr: (line) => {
      const clean = redactText(line, secrets);
      process.stderr.write(clean.endsWith('\n') ? clean : `${clean}\n`);
    },
    stderrIsTTY: Boolean(process.stderr.isTTY),
    secrets,
  };
  return current;
}

/** The context of the command that ran, so the one catch can redact with the secrets it learned. */
export function currentContext(): Context | undefined {
  return current;
}
