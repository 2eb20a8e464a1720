/**
 * Where the logs are: the source options `cnm diagnose` and `cnm stats` share, what they ask of the readers in
 * logs/, and the same options written back as flags for the command line a report ends with.
 */
import type { SearchIo } from '../logs/search.js';
import { accessOf, type Context } from './context.js';

export interface LogSourceOptions {
  logs?: string[];
  analyticsLogs?: boolean;
  analyticsContainer?: string;
  workspace?: string;
  workspaceEndpoint?: string;
}

export function hasSource(o: LogSourceOptions): boolean {
  return Boolean(o.logs?.length || o.analyticsLogs || o.workspace);
}

/** The `$logs` container and the workspace, as the readers take them. */
export function remoteSources(o: LogSourceOptions): {
  analytics?: { container: string };
  workspace?: { id: string; endpoint?: string };
} {
  return {
    ...(o.analyticsLogs ? { analytics: { container: o.analyticsContainer ?? '$logs' } } : {}),
    ...(o.workspace ? { workspace: { id: o.workspace, endpoint: o.workspaceEndpoint } } : {}),
  };
}

/** The source options as typed. */
export function sourceFlags(o: LogSourceOptions): string[] {
  const args: string[] = [];
  if (o.logs?.length) args.push('--logs', ...o.logs);
  if (o.analyticsLogs)
    args.push('--analytics-logs', ...(o.analyticsContainer ? ['--analytics-container', o.analyticsContainer] : []));
  if (o.workspace) args.push('--workspace', o.workspace);
  return args;
}

/** What the readers need from the run: Azure access, progress, clean-up on Ctrl-C. */
export function sourceIo(ctx: Context): SearchIo {
  return { access: accessOf(ctx), progress: ctx.progress, onExit: ctx.onExit };
}
