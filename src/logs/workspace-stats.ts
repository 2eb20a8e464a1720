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
import type { OrderCounter, StatsSink } from './stats-files.js';
import { queryWorkspace } from './workspace.js';

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
  orders: OrderCounter = { next: 0 },
): Promise<WorkspaceCount> {
  const from = new Date(plan.since);
  const to = new Date(plan.until);
  const query = buildStatsKql({
    from: from.toISOString(),
    to: to.toISOString(),
    bucketSeconds: Math.round(plan.bucketMs / 1000),
    blob: plan.blob,
  });
  const { tables, notes } = await queryWorkspace(
    access,
    workspace,
    endpoint,
    query,
    { startTime: from, endTime: to },
    'counts may be low',
  );
  let skipped = 0;
  for (const table of tables) {
    const names = table.columnDescriptors.map((c) => c.name ?? '');
    for (const [i, cells] of table.rows.entries()) {
      const row = Object.fromEntries(names.map((name, col) => [name, cells[col] ?? undefined]));
      const parsed = parseLogAnalyticsRow(row, { kind: 'log-analytics', file: `workspace ${workspace}`, line: i + 1 });
      const n = Number(row.Requests);
      if (!parsed.ok || !(n > 0)) {
        skipped++;
        if (skipped <= 3)
          notes.push(`skipped answer row ${i + 1}: ${parsed.ok ? 'no Requests count' : parsed.issue.message}`);
        continue;
      }
      const o = fromLogEntry(parsed.value, orders.next++);
      if (row.Conditional === true || row.Conditional === 'True' || row.Conditional === 1) o.conditionsUsed ??= {};
      sink.add(o, n);
      // Failures judged on a worker: wait when it is behind, as the line reader does.
      if (i % 1024 === 1023) await sink.pace?.();
    }
  }
  return { notes, skipped, describe: `Log Analytics workspace ${workspace} (counted there)`, query };
}
