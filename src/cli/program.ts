/**
 * The one program definition. Each command's module is imported only when that command runs, so
 * `cnm --version` loads neither the SDK nor identity (STYLE §7).
 */
import { Command, Option } from 'commander';
import { VERSION } from '../version.js';
import type { Report } from '../core/reports.js';

export type CommandResult = { report: Report };
export type Runner = (command: string, run: (globals: Record<string, unknown>) => Promise<Report>) => Promise<void>;

export function buildProgram(runner: Runner): Command {
  const program = new Command('cnm')
    .description('Explains why Azure Blob Storage answered 412 ConditionNotMet (and lease errors, 304, 409), and what to change.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'markdown', 'junit']))
    .option('--json', 'same as --format json')
    .option('--no-color', 'no colour (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('--timeout <ms>', 'per-request timeout in milliseconds', '30000')
    .option('--debug', 'stack traces and an HTTP trace on stderr (still redacted)')
    .option('-q, --quiet', 'no progress or notes on stderr')
    .option('--connection-string <string>', 'storage connection string (env AZURE_STORAGE_CONNECTION_STRING)')
    .option('--sas <token>', 'SAS token (env AZURE_STORAGE_SAS_TOKEN)')
    .option('--account-key <key>', 'account key (env AZURE_STORAGE_KEY), with --account-name')
    .option('--account-name <name>', 'storage account name (env AZURE_STORAGE_ACCOUNT)')
    .option('--account-url <url>', 'blob endpoint, e.g. https://acct.blob.core.windows.net')
    .showHelpAfterError(false)
    .configureHelp({ sortSubcommands: false });

  program
    .command('inspect')
    .description("a blob's current ETag, Last-Modified, lease state and everything else a diagnosis needs")
    .argument('<blob>', 'blob URL (https://acct.blob.core.windows.net/c/name, emulator path-style URL) or <container>/<name>')
    .option('--container', "show the container's lease and Last-Modified instead (<blob> names a container)")
    .action(async (blob: string, opts: { container?: boolean }, cmd: Command) => {
      await runner('inspect', async () => {
        const { inspect } = await import('../commands/inspect.js');
        const { contextFor } = await import('./run.js');
        return inspect(blob, opts, contextFor(cmd.optsWithGlobals()));
      });
    });

  return program;
}
