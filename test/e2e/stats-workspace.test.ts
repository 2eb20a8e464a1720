/**
 * e2e of `cnm stats --workspace`: the counting runs in Log Analytics (KQL summarize), never row by row here.
 * Log Analytics cannot run here: this is a LOOPBACK STAND-IN (test/helpers/log-analytics-stand-in.ts) answering
 * with the documented response shape; its rows are the known workload (test/helpers/stats-workload.ts) counted
 * the way the query asks, so the picture must match the one from the same events read from files.
 */
import { describe, expect, it } from 'vitest';
import { modeAnswer, useLogAnalyticsStandIn, type StandInMode } from '../helpers/log-analytics-stand-in.js';
import { runCli } from '../helpers/run-cli.js';
import { DEPLOY, EXPECTED, HOT, OWNERSHIP, resourceText, START, UNTIL } from '../helpers/stats-workload.js';

const COLUMNS = [
  'TimeGenerated:datetime',
  'OperationName:string',
  'StatusCode:string',
  'StatusText:string',
  'ObjectKey:string',
  'CallerIpAddress:string',
  'UserAgentHeader:string',
  'AuthenticationType:string',
  'RequesterObjectId:string',
  'Conditional:bool',
  'Requests:long',
  'CorrelationId:string',
];

/** The workload's resource-log records, summarized by hour and the query's columns, as the service would. */
function summarized(): unknown[][] {
  const groups = new Map<string, unknown[]>();
  for (const line of resourceText().trim().split('\n')) {
    const r = JSON.parse(line) as {
      time: string;
      operationName: string;
      statusCode: number;
      statusText: string;
      callerIpAddress: string;
      correlationId: string;
      properties: { objectKey: string; userAgentHeader: string; conditionsUsed?: string };
    };
    const bin = `${r.time.slice(0, 13)}:00:00Z`;
    const cells = [
      bin,
      r.operationName,
      String(r.statusCode),
      r.statusText,
      r.properties.objectKey,
      r.callerIpAddress.split(':')[0],
      r.properties.userAgentHeader,
      'AccountKey',
      '',
      Boolean(r.properties.conditionsUsed),
    ];
    const key = JSON.stringify(cells);
    const g = groups.get(key);
    if (g) (g[10] as number)++;
    else groups.set(key, [...cells, 1, r.correlationId]);
  }
  return [...groups.values()];
}

let mode: StandInMode = 'ok';
const standIn = useLogAnalyticsStandIn(() => modeAnswer(mode, COLUMNS, summarized));

const run = (...extra: string[]) =>
  runCli(
    [
      'stats',
      '--workspace',
      'ws-1',
      '--workspace-endpoint',
      standIn.endpoint,
      '--since',
      START,
      '--until',
      UNTIL,
    ].concat(['--bucket', '1h', ...extra, '--json']),
    standIn.env(),
    60_000,
  );

describe('cnm stats --workspace (loopback stand-in for Log Analytics)', () => {
  it('pushes the counting down as KQL summarize and gives the same picture as the files', async () => {
    mode = 'ok';
    const r = await run('--deployed-at', DEPLOY);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.totals).toMatchObject({
      requests: EXPECTED.requests,
      conditional: EXPECTED.conditional,
      failures: EXPECTED.failures,
      notModified: EXPECTED.notModified,
      expectedContention: EXPECTED.expectedContention,
    });
    expect(j.series.map((b: { failures: number }) => b.failures)).toEqual([12, 12, 12, 12, 7, 0, 7, 7, 7]);
    expect(j.compare).toMatchObject({ ratio: 0.5, significant: true, dropped: true });
    expect(j.blobs.slice(0, 2)).toMatchObject([
      { blob: HOT, failures: EXPECTED.hot.failures, requests: EXPECTED.hot.requests, writers: 2 },
      { blob: OWNERSHIP, expectedContention: 'event-hubs-ownership' },
    ]);
    // Rows carry no history: only the path tells an origin (expected contention); the rest is unknown.
    expect(j.byOrigin).toEqual({ unknown: 60, 'expected-contention': 16 });
    expect(j.sources).toEqual(['Log Analytics workspace ws-1 (counted there)']);
    // The endpoint too: without it, the line would ask the public cloud's (a sovereign cloud's workspace is elsewhere).
    expect(j.next).toMatch(
      new RegExp(
        `^cnm diagnose --request-id \\S+ --workspace ws-1 --workspace-endpoint '?${standIn.endpoint}'? --time 2026-11-24T08:00:00`,
      ),
    );
    const q = standIn.queries.at(-1)!;
    expect(q).toMatch(/^StorageBlobLogs\n\| where TimeGenerated between \(datetime\(2026-11-24T00:00:00.000Z\) \.\. /);
    expect(q).toMatch(
      /\| summarize Requests = count\(\), CorrelationId = take_any\(CorrelationId\) by TimeGenerated = bin\(TimeGenerated, 3600s\), OperationName, StatusCode, StatusText, ObjectKey, CallerIpAddress = CallerIp, UserAgentHeader, AuthenticationType, RequesterObjectId, Conditional$/,
    );
  });

  it('--blob narrows in the query itself', async () => {
    mode = 'ok';
    await run('--blob', 'app/orders/');
    expect(standIn.queries.at(-1)).toMatch(
      /\| where strcat_array\(array_slice\(split\(ObjectKey, "\/"\), 2, -1\), "\/"\) startswith "app\/orders\/"/,
    );
  });

  it('partial results are a note; throttling exit 3; no rows exit 4', async () => {
    mode = 'partial';
    const partial = JSON.parse((await run()).stdout);
    expect(partial.notes.join('\n')).toMatch(
      /partial results \(PartialError: query exceeded limits\): counts may be low/,
    );
    mode = 'throttle';
    const throttled = await run();
    expect(throttled.code).toBe(3);
    expect(throttled.stderr.trim()).toMatch(/^cnm: Log Analytics throttled the query on workspace ws-1 \(429\)/);
    mode = 'empty';
    const empty = await run();
    expect(empty.code).toBe(4);
    expect(empty.stderr).toMatch(/no request in the sources \(Log Analytics workspace ws-1 \(counted there\)\)/);
  });
});
