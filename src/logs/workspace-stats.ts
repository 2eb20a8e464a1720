/**
 * `cnm stats --workspace <id>`: StorageBlobLogs counted by Log Analytics (kql.ts buildStatsKql), each answer row
 * fed to the aggregator with its count. @azure/monitor-query-logs loads only on this path. The rows carry no
 * history, so a failure's origin is read from its path alone (expected contention) and is otherwise unknown.
 */
import type { AzureAccess } from '../azure/access.js';
import { fromLogEntry } from '../core/diagnose/observed.js';
import type { StatsPlan } from '../core/stats/options.js';
import { parseLogAnalyticsRow } from '../parse/log-analytics-table.js';
import { buildStatsKql } from './kql.js';
import type { StatsSink } from './stats-files.js';
import { credential, failure } from './workspace.js';

export interface WorkspaceCount {
  notes: string[];
  skipped: number;
  describe: string;
  query: string;
}

export async function countWorkspace(
  access: AzureAccess,
  workspace: string,
  endpoint: string | undefined,
  plan: StatsPlan,
  sink: StatsSink,
): Promise<WorkspaceCount> {
  const { LogsQueryClient, LogsQueryResultStatus } = await import('@azure/monitor-query-logs');
  const client = new LogsQueryClient(await credential(access), {
    ...(endpoint ? { endpoint } : {}),
    retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1000 },
  });
  const from = new Date(plan.since);
  const to = new Date(plan.until);
  const query = buildStatsKql({
    from: from.toISOString(),
    to: to.toISOString(),
    bucketSeconds: Math.round(plan.bucketMs / 1000),
    blob: plan.blob,
  });
  let result;
  try {
    result = await client.queryWorkspace(
      workspace,
      query,
      { startTime: from, endTime: to },
      {
        serverTimeoutInSeconds: Math.max(30, Math.round(access.timeout / 1000)),
      },
    );
  } catch (err) {
    throw failure(err, workspace);
  }
  const notes: string[] = [];
  const tables = result.status === LogsQueryResultStatus.Success ? result.tables : result.partialTables;
  if (result.status !== LogsQueryResultStatus.Success)
    notes.push(
      `Log Analytics returned partial results (${result.partialError?.code ?? 'PartialError'}: ` +
        `${result.partialError?.message ?? 'no message'}): counts may be low`,
    );
  let skipped = 0;
  let order = 0;
  for (const table of tables) {
    const names = table.columnDescriptors.map((c) => c.name ?? '');
    table.rows.forEach((cells, i) => {
      const row = Object.fromEntries(names.map((name, col) => [name, cells[col] ?? undefined]));
      const parsed = parseLogAnalyticsRow(row, { kind: 'log-analytics', file: `workspace ${workspace}`, line: i + 1 });
      const n = Number(row.Requests);
      if (!parsed.ok || !(n > 0)) {
        skipped++;
        if (skipped <= 3)
          notes.push(`skipped answer row ${i + 1}: ${parsed.ok ? 'no Requests count' : parsed.issue.message}`);
        return;
      }
      const o = fromLogEntry(parsed.value, order++);
      if (row.Conditional === true || row.Conditional === 'True' || row.Conditional === 1) o.conditionsUsed ??= {};
      sink.add(o, n);
    });
  }
  return { notes, skipped, describe: `Log Analytics workspace ${workspace} (counted there)`, query };
}
