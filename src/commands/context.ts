/**
 * What a command receives from the CLI: the validated global options, the environment and the stderr side
 * channel (already redacted). Commands hand the adapters only the few values each needs (accessOf, progress),
 * never this object.
 */
import type { AzureAccess } from '../azure/access.js';
import type { ConnectionOptions, Env } from '../azure/access-plan.js';
import type { Secrets } from '../core/redact.js';
import type { Progress } from '../core/progress.js';
import type { Format } from '../render/render.js';

export interface GlobalOptions extends ConnectionOptions {
  format: Format;
  color?: boolean;
  /** Milliseconds one request's whole exchange may take. */
  timeout: number;
  debug: boolean;
  quiet: boolean;
}

export interface Context {
  options: GlobalOptions;
  env: Env;
  /** Diagnostics and notes, one line each, scrubbed of every secret; never the report. */
  stderr: (line: string) => void;
  /** A progress line for a long scan of `total` bytes: drawn on a TTY, silent otherwise and with --quiet. */
  progress: (total?: number) => Progress;
  /** Secrets learned so far (keys, SAS sigs, tokens): the report and every stderr line are scrubbed of them. */
  secrets: Secrets;
  /**
   * Registers clean-up (temporary files) that must also run when the user presses Ctrl-C, where `finally` blocks
   * never run. Returns the function that unregisters it once the command cleaned up by itself.
   */
  onExit: (task: () => Promise<void>) => () => void;
  /**
   * The folder of the bundle's worker scripts (scripts/build.mjs), when they are there: absent (the sources run
   * as they are, in tests), the work they would take runs on the main thread.
   */
  workers?: URL;
}

/** The Azure adapters' view of the context. */
export function accessOf(ctx: Context): AzureAccess {
  const { connectionString, sas, accountKey, accountName, accountUrl } = ctx.options;
  return {
    connection: { connectionString, sas, accountKey, accountName, accountUrl },
    env: ctx.env,
    timeout: ctx.options.timeout,
    secrets: ctx.secrets,
    ...(ctx.options.debug ? { trace: ctx.stderr } : {}),
  };
}
