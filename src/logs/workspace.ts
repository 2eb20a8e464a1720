/**
 * `--workspace <id>`: Log Analytics `StorageBlobLogs` through @azure/monitor-query-logs, imported only on
 * this path. The KQL runs in the service; partial results become a note, throttling a clear error (exit 3).
 * Credential: CNM_LOGS_TOKEN (a bearer token for api.loganalytics.io) when set, else DefaultAzureCredential.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { LogsTable } from '@azure/monitor-query-logs';
import { CnmError } from '../core/errors.js';
import type { AzureAccess } from '../azure/access.js';
import { fromLogEntry } from '../core/diagnose/observed.js';
import type { Observed } from '../core/diagnose/types.js';
import { azureFacts } from '../azure/rest-error.js';
import { toCnmError } from '../azure/to-cnm-error.js';
import { parseLogAnalyticsTable } from '../parse/log-analytics-table.js';
import { buildDiagnoseKql } from './kql.js';
import type { Sequence } from './scan-log-file.js';

export interface WorkspaceSearch {
  observed: Observed[];
  notes: string[];
  skipped: number;
  query: string;
  describe: string;
}

async function credential(access: AzureAccess): Promise<TokenCredential> {
  const token = access.env.CNM_LOGS_TOKEN;
  if (token) {
    access.secrets.add(token);
    return { getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  }
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

function failure(err: unknown, workspace: string): CnmError {
  const f = azureFacts(err);
  if (f.status === 429)
    return new CnmError(
      'throttled',
      `Log Analytics throttled the query on workspace ${workspace} (429) after retries`,
      { hint: 'wait a minute, or narrow --since/--until' },
    );
  if (f.status === 403)
    return new CnmError('auth', `no permission to query workspace ${workspace} (403)`, {
      hint: 'the identity needs the Log Analytics Reader role on the workspace (see docs/diagnose.md)',
    });
  return toCnmError(err, `Log Analytics workspace ${workspace}`);
}

/** The answer's tables, and a note when Log Analytics answered only in part (`missing`: what that means here). */
export interface WorkspaceTables {
  tables: LogsTable[];
  notes: string[];
}

/**
 * Runs `query` in the workspace over `timespan` (the client and its retries, the server timeout from --timeout,
 * failures as CnmErrors); a partial answer is kept, with a note saying what may be missing.
 */
export async function queryWorkspace(
  access: AzureAccess,
  workspace: string,
  endpoint: string | undefined,
  query: string,
  timespan: { startTime: Date; endTime: Date },
  missing: string,
): Promise<WorkspaceTables> {
  const { LogsQueryClient, LogsQueryResultStatus } = await import('@azure/monitor-query-logs');
  const client = new LogsQueryClient(await credential(access), {
    ...(endpoint ? { endpoint } : {}),
    retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1000 },
  });
  let result;
  try {
    result = await client.queryWorkspace(workspace, query, timespan, {
      serverTimeoutInSeconds: Math.max(30, Math.round(access.timeout / 1000)),
    });
  } catch (err) {
    throw failure(err, workspace);
  }
  if (result.status === LogsQueryResultStatus.Success) return { tables: result.tables, notes: [] };
  const note =
    `Log Analytics returned partial results (${result.partialError?.code ?? 'PartialError'}: ` +
    `${result.partialError?.message ?? 'no message'}): ${missing}`;
  return { tables: result.partialTables, notes: [note] };
}

export async function searchWorkspace(
  access: AzureAccess,
  workspace: string,
  endpoint: string | undefined,
  kql: Parameters<typeof buildDiagnoseKql>[0],
  seq: Sequence,
): Promise<WorkspaceSearch> {
  const query = buildDiagnoseKql(kql);
  const timespan = {
    startTime: new Date(Date.parse(kql.from) - kql.windowMs),
    endTime: new Date(Date.parse(kql.to) + kql.windowMs),
  };
  const { tables, notes } = await queryWorkspace(
    access,
    workspace,
    endpoint,
    query,
    timespan,
    'requests may be missing',
  );
  const observed: Observed[] = [];
  let skipped = 0;
  for (const table of tables) {
    const parsed = parseLogAnalyticsTable(table);
    skipped += parsed.issues.length;
    observed.push(
      ...parsed.entries.map((e) =>
        fromLogEntry({ ...e, source: { ...e.source, file: `workspace ${workspace}` } }, seq.next()),
      ),
    );
  }
  return { observed, notes, skipped, query, describe: `Log Analytics workspace ${workspace}` };
}
