import type { Command } from 'commander';
import type { Runner } from '../runner.js';

export function addReplay(program: Command, run: Runner): void {
  program
    .command('replay')
    .description("check which of a captured request's conditions fail against the live blob now, and why (read-only)")
    .argument('<capture>', 'capture JSON, HAR, NDJSON, Azure SDK log or Azurite --debug log (read by content)')
    .option('--request-id <id>', 'pick this request (x-ms-request-id or x-ms-client-request-id) from a file of many')
    .option('--refresh', 'also show the read-refresh-write version: conditions refreshed once from the current state')
    .option('--execute', 're-send the request once, signed with your credentials (this WRITES when the request writes)')
    .option('--body <file>', 'content to send with --execute for a request that carried a body')
    .action(
      (
        capture: string,
        opts: { requestId?: string; refresh?: boolean; execute?: boolean; body?: string },
        cmd: Command,
      ) =>
        run(cmd, async (ctx) => {
          const { replay } = await import('../../commands/replay.js');
          return replay(capture, opts, ctx);
        }),
    );
}
