import type { Command } from 'commander';
import type { DiagnoseOptions } from '../../commands/diagnose.js';
import type { Runner } from '../runner.js';

export function addDiagnose(program: Command, run: Runner): void {
  program
    .command('diagnose')
    .description(
      'find a failed request in your logs or a capture, compare the blob then and now, and tell the whole story (read-only)',
    )
    .argument('[capture]', 'capture JSON, HAR, NDJSON, Azure SDK log or Azurite --debug log (read by content)')
    .option(
      '--request-id <id>',
      'x-ms-request-id of the failed request (a client request id works too, and follows its retries)',
    )
    .option('--logs <path...>', 'log files or folders: $logs lines, PT1H.json resource logs, or any capture format')
    .option('--analytics-logs', "search the account's $logs container, only the hours around --time/--since")
    .option('--analytics-container <name>', 'container holding the $logs-layout blobs (default $logs)')
    .option('--workspace <id>', 'search Log Analytics StorageBlobLogs in this workspace (needs Log Analytics Reader)')
    .option(
      '--workspace-endpoint <url>',
      'Log Analytics endpoint (default https://api.loganalytics.io/v1; sovereign clouds differ)',
    )
    .option('--since <when>', 'search from this time: a duration back from now (2h) or ISO 8601')
    .option('--until <when>', 'search up to this time: a duration back from now or ISO 8601')
    .option('--time <iso>', 'about when the request failed (picks the log hours to read)')
    .option('--window <duration>', 'how far around the failure other requests on the blob are reported', '5m')
    .option(
      '--now',
      "also read the blob's current state with DefaultAzureCredential (automatic when credentials are given)",
    )
    .action((capture: string | undefined, opts: DiagnoseOptions, cmd: Command) =>
      run(cmd, async (ctx) => {
        const { diagnose } = await import('../../commands/diagnose.js');
        return diagnose(capture, opts, ctx);
      }),
    );
}
