/**
 * Where the logs are: the source options `cnm diagnose` and `cnm stats` share, what they ask of the readers in
 * logs/, and the same options written back as flags for the command line a report ends with.
 */
import type { SearchIo } from '../logs/search.js';
import { CnmError } from '../core/errors.js';
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

/** --workspace-endpoint must be an http(s) URL: anything else was an internal error (an invalid URL) or a DNS error. */
function checkedEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  const url = URL.canParse(endpoint) ? new URL(endpoint) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new CnmError('usage', `--workspace-endpoint: "${endpoint}" is not an https:// URL`, {
      hint: 'the Log Analytics query endpoint, e.g. https://api.loganalytics.azure.com (the default)',
    });
  return endpoint;
}

/** The `$logs` container and the workspace, as the readers take them. */
export function remoteSources(o: LogSourceOptions): {
  analytics?: { container: string };
  workspace?: { id: string; endpoint?: string };
} {
  return {
    ...(o.analyticsLogs ? { analytics: { container: o.analyticsContainer ?? '$logs' } } : {}),
    ...(o.workspace ? { workspace: { id: o.workspace, endpoint: checkedEndpoint(o.workspaceEndpoint) } } : {}),
  };
}

/** The source options as typed. */
export function sourceFlags(o: LogSourceOptions): string[] {
  const args: string[] = [];
  if (o.logs?.length) args.push('--logs', ...o.logs);
  if (o.analyticsLogs)
    args.push('--analytics-logs', ...(o.analyticsContainer ? ['--analytics-container', o.analyticsContainer] : []));
  if (o.workspace)
    args.push(
      '--workspace',
      o.workspace,
      ...(o.workspaceEndpoint ? ['--workspace-endpoint', o.workspaceEndpoint] : []),
    );
  return args;
}

/** What the readers need from the run: Azure access, progress, clean-up on Ctrl-C. */
export function sourceIo(ctx: Context): SearchIo {
  return { access: accessOf(ctx), progress: ctx.progress, onExit: ctx.onExit };
}
