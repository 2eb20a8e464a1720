/**
 * The entry point and the one catch (STYLE §5): run the command, render its report, set
 * process.exitCode from a pure function of it. Errors become one redacted line on stderr.
 */
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { CnmError, ExitCode, formatErrorLine } from './errors.js';
import type { Report } from '../core/reports.js';
import type { Format } from './context.js';

function secretsFromArgv(argv: string[]): string[] {
  const out: string[] = [];
  argv.forEach((arg, i) => {
    const m = /^--(connection-string|sas|account-key)(?:=(.*))?$/.exec(arg);
    if (m) out.push(m[2] ?? argv[i + 1] ?? '');
  });
  for (const v of [process.env.AZURE_STORAGE_KEY, process.env.AZURE_STORAGE_CONNECTION_STRING, process.env.AZURE_STORAGE_SAS_TOKEN]) {
    if (v) out.push(v);
  }
  return out.filter((s) => s.length >= 8);
}

/** Text for stdout. JSON needs neither the table renderers (cli-table3) nor chalk: they load only for the others. */
async function renderText(report: Report, format: Format, colorOption: boolean | undefined): Promise<string> {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  const [{ renderReport }, { colorLevel, makeChalk }] = await Promise.all([import('../render/render.js'), import('./colors.js')]);
  const level = colorLevel(colorOption, process.env, Boolean(process.stdout.isTTY));
  const width = process.stdout.isTTY ? process.stdout.columns : undefined;
  return renderReport(report, format, { chalk: makeChalk(level), width });
}

async function emit(report: Report): Promise<void> {
  const [{ currentContext }, { getExitCode }, { redactText }] = await Promise.all([
    import('./run.js'),
    import('../core/exit-code.js'),
    import('../core/redact.js'),
  ]);
  const ctx = currentContext();
  const text = await renderText(report, ctx?.options.format ?? 'table', ctx?.options.color);
  // Belt and braces: reports are built redacted, and the final text is scrubbed of every known secret too.
  process.stdout.write(redactText(text, [...(ctx?.secrets ?? []), ...secretsFromArgv(process.argv)]));
  process.exitCode = getExitCode(report);
}

async function fail(err: unknown, debug: boolean): Promise<void> {
  const { redactText } = await import('../core/redact.js');
  const secrets = secretsFromArgv(process.argv);
  const e =
    err instanceof CnmError
      ? err
      : new CnmError('internal', `internal error: ${(err as Error)?.message ?? String(err)}`, {
          hint: 'please report it with the --debug output',
          cause: err,
        });
  process.stderr.write(redactText(formatErrorLine(e), secrets) + '\n');
  if (debug) {
    const stack = (err as Error)?.stack ?? String(err);
    process.stderr.write(redactText(stack, secrets) + '\n');
    if (e.cause && e.cause !== err) process.stderr.write(redactText(String((e.cause as Error).stack ?? e.cause), secrets) + '\n');
  }
  process.exitCode = e.exitCode;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const debug = argv.includes('--debug');
  process.once('SIGINT', () => {
    process.stderr.write('cnm: interrupted\n');
    process.exit(ExitCode.interrupted);
  });
  const program = buildProgram(async (cmd, work) => {
    const { contextFor } = await import('./run.js');
    await emit(await work(contextFor(cmd.optsWithGlobals(), cmd.name())));
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') {
        process.exitCode = 0;
        return;
      }
      const message = err.message.replace(/^error: /, '');
      await fail(new CnmError('usage', message, { hint: 'see cnm --help' }), debug);
      return;
    }
    await fail(err, debug);
  }
}
