/** A command Context for integration tests: the CLI's own option parsing, a given environment, stderr kept in `lines`. */
import { parseGlobalOptions } from '../../src/cli/global-options.js';
import type { Context } from '../../src/commands/context.js';
import { SILENT_PROGRESS } from '../../src/core/progress.js';
import { Secrets } from '../../src/core/redact.js';

export function testContext(
  env: Record<string, string | undefined>,
  options: Record<string, unknown> = {},
  lines: string[] = [],
): Context {
  const secrets = new Secrets();
  return {
    options: parseGlobalOptions(options),
    env,
    stderr: (l) => lines.push(secrets.scrub(l)),
    progress: () => SILENT_PROGRESS,
    secrets,
    onExit: () => () => undefined,
  };
}
