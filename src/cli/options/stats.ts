import type { Command } from 'commander';
import type { StatsOptions } from '../../commands/stats.js';
import type { Runner } from '../runner.js';

export function addStats(program: Command, run: Runner): void {
  program
    .command('stats')
    .description(
      "the workload's picture: 412/lease-error rate over time, hot blobs, who collides, origin of each failure, before vs after a deploy (read-only)",
    )
    .option('--logs <path...>', 'log files or folders: $logs lines, PT1H.json resource logs, or any capture format')
    .option('--analytics-logs', "read the account's $logs container, only the hour prefixes in the range")
    .option('--analytics-container <name>', 'container holding the $logs-layout blobs (default $logs)')
    .option('--workspace <id>', 'count StorageBlobLogs in this Log Analytics workspace (the counting runs there)')
    .option(
      '--workspace-endpoint <url>',
      'Log Analytics endpoint (default https://api.loganalytics.io/v1; sovereign clouds differ)',
    )
    .option('--since <when>', 'from this time: a duration back from now (2h) or ISO 8601 (default 24h)')
    .option('--until <when>', 'up to this time: a duration back from now or ISO 8601 (default now)')
    .option('--bucket <duration>', 'time bucket of the series: 5m, 1h, 1d (default chosen from the range)')
    .option('--blob <prefix>', 'only blobs under this prefix: container/prefix or /account/container/prefix')
    .option('--top <n>', 'hot blobs and callers shown', '10')
    .option('--deployed-at <iso>', 'compare the failure rate before and after this time (a deploy)')
    .option('--expect-drop', 'with --deployed-at: exit 1 unless the rate after is significantly lower')
    .option(
      '--fail-above <rate>',
      'exit 1 when the failure rate (without expected contention) is above this: 0.01 or 1%',
    )
    .addHelpText(
      'after',
      '\nFailures: every 412, and the 409s of a condition or a lease (BlobAlreadyExists, Lease*); 304 is counted apart.\n' +
        'Expected contention (Event Hubs ownership/checkpoints, Functions locks, Terraform state, Durable Task) is shown\n' +
        'apart and left out of --fail-above and the deploy comparison.\n' +
        'Exit codes: 0 ran, 1 --fail-above or --expect-drop not met, 2 bad options or input, 3 Azure unreachable,\n' +
        '4 no request in the sources and range.',
    )
    .action((opts: StatsOptions, cmd: Command) =>
      run(cmd, async (ctx) => {
        const { stats } = await import('../../commands/stats.js');
        return stats(opts, ctx);
      }),
    );
}
