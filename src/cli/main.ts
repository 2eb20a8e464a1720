/**
 * The entry point and the one catch: run the command, render its report, set
 * process.exitCode from a pure function of it. Errors become one redacted line on stderr.
 */
import { CommanderError } from 'commander';
import type { Context } from '../commands/context.js';
import { CnmError, ExitCode } from '../core/errors.js';
import { Secrets } from '../core/redact.js';
import type { Report, ReportCommand } from '../core/reports.js';
import { formatErrorLine } from './format-error.js';
import { buildProgram } from './program.js';

/** Secrets given on the command line or in the environment: scrubbed from everything printed, from the start. */
function secretsFrom(argv: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  argv.forEach((arg, i) => {
    const m = /^--(connection-string|sas|account-key)(?:=(.*))?$/.exec(arg);
    if (m) out.push(m[2] ?? argv[i + 1] ?? '');
  });
  for (const v of [env.AZURE_STORAGE_KEY, env.AZURE_STORAGE_CONNECTION_STRING, env.AZURE_STORAGE_SAS_TOKEN])
    if (v) out.push(v);
  return out;
}

/** Text for stdout. JSON needs neither the table renderers (cli-table3) nor chalk: they load only for the others. */
async function renderText(report: Report, ctx: Context): Promise<string> {
  const { format, color } = ctx.options;
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  const [{ renderReport }, { colorLevel, makeChalk }, { terminalWidth }] = await Promise.all([
    import('../render/render.js'),
    import('./colors.js'),
    import('./terminal-width.js'),
  ]);
  const level = colorLevel(color, process.env, Boolean(process.stdout.isTTY));
  const width = terminalWidth(process.env, process.stdout);
  return renderReport(report, format, { chalk: makeChalk(level), width });
}

async function emit(report: Report, ctx: Context): Promise<void> {
  const { getExitCode } = await import('../core/exit-code.js');
  // Belt and braces: reports are built redacted, and the final text is scrubbed of every known secret too.
  process.stdout.write(ctx.secrets.scrub(await renderText(report, ctx)));
  process.exitCode = getExitCode(report);
}

function stackOf(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : JSON.stringify(err);
}

/**
 * `interrupted` is set once Ctrl-C was pressed: the clean-up it runs can pull files from under a command still
 * working, whose failure is then no news — the user already has the one line `cnm: interrupted`.
 */
interface RunState {
  interrupted: boolean;
  /** Set on Ctrl-C: the clean-up, then exit 130. main() waits for it rather than return under it. */
  exiting?: Promise<void>;
}

function fail(err: unknown, debug: boolean, secrets: Secrets, state: RunState): void {
  if (state.interrupted) return;
  const e =
    err instanceof CnmError
      ? err
      : new CnmError('internal', `internal error: ${(err as Error)?.message ?? String(err)}`, {
          hint: 'please report it with the --debug output',
          cause: err,
        });
  process.stderr.write(secrets.scrub(formatErrorLine(e, (t) => secrets.scrub(t))) + '\n');
  if (debug) {
    process.stderr.write(secrets.scrub(stackOf(err)) + '\n');
    if (e.cause && e.cause !== err) process.stderr.write(secrets.scrub(stackOf(e.cause)) + '\n');
  }
  process.exitCode = e.exitCode;
}

/** How long Ctrl-C waits for clean-up (temporary folders) before exiting anyway; a second Ctrl-C does not wait. */
const CLEANUP_GRACE_MS = 2000;

/** Ctrl-C: one line, the registered clean-up (bounded), exit 130 (SPEC §3). */
function onInterrupt(tasks: Set<() => Promise<void>>, state: RunState): void {
  process.once('SIGINT', () => {
    state.interrupted = true;
    process.stderr.write('cnm: interrupted\n');
    process.once('SIGINT', () => process.exit(ExitCode.interrupted));
    const cleaned = Promise.allSettled([...tasks].map((task) => task()));
    const grace = new Promise((r) => setTimeout(r, CLEANUP_GRACE_MS).unref());
    state.exiting = Promise.race([cleaned, grace]).then(() => process.exit(ExitCode.interrupted));
  });
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const debug = argv.includes('--debug');
  const secrets = new Secrets();
  secrets.add(...secretsFrom(argv, process.env));
  const exitTasks = new Set<() => Promise<void>>();
  const state: RunState = { interrupted: false };
  onInterrupt(exitTasks, state);
  const program = buildProgram(async (cmd, work) => {
    const { buildContext } = await import('./build-context.js');
    const ctx = buildContext(cmd.optsWithGlobals(), cmd.name() as ReportCommand, secrets, exitTasks);
    await emit(await work(ctx), ctx);
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') {
        process.exitCode = 0;
        return;
      }
      // One line: commander puts its suggestion ("(Did you mean --logs?)") on a line of its own.
      let message = err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
      // A mistyped option's value is not known to be no secret (`--acount-key=<key>`): it is not echoed.
      if (err.code === 'commander.unknownOption') message = message.replace(/('--?[^'=\s]+)=[^']*'/g, `$1=…'`);
      fail(new CnmError('usage', message, { hint: 'see cnm --help' }), debug, secrets, state);
      return;
    }
    fail(err, debug, secrets, state);
  }
  // Interrupted: the clean-up is running and ends the process; do not return (the entry point exits) under it.
  if (state.exiting) await state.exiting;
}
