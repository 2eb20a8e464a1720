/**
 * `--workspace <id>`: Log Analytics `StorageBlobLogs` through @azure/monitor-query-logs, imported only on
 * this path. The KQL runs in the service; partial results become a note, throttling a clear error (exit 3).
 * Credential: CNM_LOGS_TOKEN (a bearer token for api.loganalytics.io) when set, else DefaultAzureCredential.
 */
import type { TokenCredential } from '@azure/core-auth';
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

export async function credential(access: AzureAccess): Promise<TokenCredential> {
  const token = access.env.CNM_LOGS_TOKEN;
  if (token) {
    access.secrets.add(token);
    return { getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  }
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

export function failure(err: unknown, workspace: string): CnmError {
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

export async function searchWorkspace(
  access: AzureAccess,
  workspace: string,
  endpoint: string | undefined,
  kql: Parameters<typeof buildDiagnoseKql>[0],
  seq: Sequence,
): Promise<WorkspaceSearch> {
  const { LogsQueryClient, LogsQueryResultStatus } = await import('@azure/monitor-query-logs');
  const client = new LogsQueryClient(await credential(access), {
    ...(endpoint ? { endpoint } : {}),
    retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1000 },
  });
  const query = buildDiagnoseKql(kql);
  const timespan = {
    startTime: new Date(Date.parse(kql.from) - kql.windowMs),
    endTime: new Date(Date.parse(kql.to) + kql.windowMs),
  };
  let result;
  try {
    result = await client.queryWorkspace(workspace, query, timespan, {
      serverTimeoutInSeconds: Math.max(30, Math.round(access.timeout / 1000)),
    });
  } catch (err) {
    throw failure(err, workspace);
  }
  const notes: string[] = [];
  const tables = result.status === LogsQueryResultStatus.Success ? result.tables : result.partialTables;
  if (result.status !== LogsQueryResultStatus.Success) {
    notes.push(
      `Log Analytics returned partial results (${result.partialError?.code ?? 'PartialError'}: ` +
        `${result.partialError?.message ?? 'no message'}): requests may be missing`,
    );
  }
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
