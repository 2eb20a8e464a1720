/**
 * The one program definition. Each command's module is imported only when that command runs, so
 * `cnm --version` loads neither the SDK nor identity.
 */
import { Command, Option } from 'commander';
import { VERSION } from '../core/version.js';
import { FORMATS } from '../render/render.js';
import type { Runner } from './runner.js';
import { commands } from './options/index.js';

export function buildProgram(runner: Runner): Command {
  const program = new Command('cnm')
    .description(
      'Explains why Azure Blob Storage answered 412 ConditionNotMet (and lease errors, 304, 409), and what to change.',
    )
    .version(VERSION, '-V, --version')
    .addOption(
      new Option('--format <format>', 'output format (junit: preflight; html: replay, diagnose, stats)').choices(
        FORMATS,
      ),
    )
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
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    // Set before the subcommands exist, so they inherit it: commander's errors reach the one catch.
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  for (const add of commands) add(program, runner);
  return program;
}
