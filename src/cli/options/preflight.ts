import type { Command } from 'commander';
import type { Runner } from '../runner.js';

export function addPreflight(program: Command, run: Runner): void {
  program
    .command('preflight')
    .description(
      "CI gate: would each pending job's conditions (If-Match, lease id, …) hold against its blob now? (read-only)",
    )
    .argument(
      '<jobs>',
      'jobs file (JSON array or NDJSON of {blob, ifMatch?, ifNoneMatch?, leaseId?, ifTags?, operation?, …}) or a folder of captures',
    )
    .option('--concurrency <n>', 'blobs read at once', '32')
    .addHelpText(
      'after',
      '\nExit codes: 0 every job fresh, 1 a job is stale, 2 bad jobs file, 3 Azure unreachable or a blob not ' +
        'readable.\n--format junit writes JUnit XML; with GITHUB_ACTIONS=true, ::error annotations are added.',
    )
    .action((jobs: string, opts: { concurrency?: string }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const { preflight } = await import('../../commands/preflight.js');
        return preflight(jobs, opts, ctx);
      }),
    );
}
