import type { Command } from 'commander';
import type { Runner } from '../runner.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function addLoad(program: Command, run: Runner): void {
  program
    .command('load')
    .description(
      'concurrent writers on one blob, per write strategy: lost updates, 412 rate, throughput, p99 (its own embedded Azurite)',
    )
    .option(
      '--strategy <names>',
      'blind, etag, lease; repeat or comma-separate to compare (default all three)',
      collect,
      [],
    )
    .option('--writers <n>', 'concurrent writers', '8')
    .option('--ops <n>', 'writes each writer makes', '10')
    .option('--blob <ref>', 'a scratch blob of a real account instead of the embedded Azurite (needs --execute)')
    .option('--execute', 'with --blob: write that blob (it must not exist, or be an earlier cnm load scratch blob)')
    .addHelpText(
      'after',
      '\nEach writer adds its own tokens to a JSON array in the blob; at the end every token must be there, once, ' +
        "each writer's in its order.\nblind: read, append, write (no condition). etag: readRefreshWrite (If-Match, " +
        'start over on 412). lease: withBlobLease (one writer at a time).\nExit codes: 0 ran (lost updates are the ' +
        'finding, not a failure), 2 bad options or --blob without --execute, 3 Azure unreachable, 4 container not found.',
    )
    .action(
      (opts: { strategy: string[]; writers: string; ops: string; blob?: string; execute?: boolean }, cmd: Command) =>
        run(cmd, async (ctx) => {
          const { load } = await import('../../commands/load.js');
          return load(opts, ctx);
        }),
    );
}
