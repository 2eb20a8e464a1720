import type { Command } from 'commander';
import type { Runner } from '../runner.js';

export function addInspect(program: Command, run: Runner): void {
  program
    .command('inspect')
    .description("a blob's current ETag, Last-Modified, lease state and everything else a diagnosis needs")
    .argument(
      '<blob>',
      'blob URL (https://acct.blob.core.windows.net/c/name, emulator path-style URL) or <container>/<name>',
    )
    .option('--container', "show the container's lease and Last-Modified instead (<blob> names a container)")
    .action((blob: string, opts: { container?: boolean }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const { inspect } = await import('../../commands/inspect.js');
        return inspect(blob, opts, ctx);
      }),
    );
}
