import type { Command } from 'commander';
import type { Runner } from '../runner.js';

export function addDemo(program: Command, run: Runner): void {
  program
    .command('demo')
    .description(
      'real races on an embedded in-memory Azurite, then inspect, replay and diagnose of each 412, readRefreshWrite and withBlobLease doing it right, and a short load table',
    )
    .option('--keep', 'keep the capture files and Azurite debug log it writes (in a temp folder)')
    .action((opts: { keep?: boolean }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const { demo } = await import('../../commands/demo/demo.js');
        return demo(opts, ctx);
      }),
    );
}
