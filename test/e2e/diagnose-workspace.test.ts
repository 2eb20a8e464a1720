/**
 * e2e of `diagnose --workspace`. Log Analytics cannot run here: this is a LOOPBACK STAND-IN
 * (test/helpers/log-analytics-stand-in.ts) answering with the documented response shape — it checks cnm's
 * query and parsing, not the real service.
 */
import { describe, expect, it } from 'vitest';
import { modeAnswer, useLogAnalyticsStandIn, type StandInMode } from '../helpers/log-analytics-stand-in.js';
import { runCli } from '../helpers/run-cli.js';

const COLUMNS = [
  'TimeGenerated:datetime',
  'OperationName:string',
  'StatusCode:string',
  'StatusText:string',
  'CorrelationId:string',
  'ClientRequestId:string',
  'Uri:string',
  'ObjectKey:string',
  'CallerIpAddress:string',
  'UserAgentHeader:string',
  'ConditionsUsed:string',
  'Etag:string',
  'LastModifiedTime:datetime',
];
const row = (
  t: string,
  op: string,
  status: string,
  text: string,
  corr: string,
  etag: string | null,
  cond: string | null,
) => [
  t,
  op,
  status,
  text,
  corr,
  `client-${corr.slice(0, 4)}`,
  'https://acct.blob.core.windows.net/ns.servicebus.windows.net/hub/$default/ownership/0?comp=metadata',
  '/acct/checkpoints/ns.servicebus.windows.net/hub/$default/ownership/0',
  '10.1.1.1:443',
  'azsdk-js-eventhubs-checkpointstore-blob/1.0.0',
  cond,
  etag,
  etag ? t : null,
];
const ROWS = [
  row(
    '2026-11-24T18:00:00Z',
    'SetBlobMetadata',
    '200',
    'Success',
    'aaaa0000-801e-001e-47f4-2c3e77000000',
    '"0x8DECE5F6A1B2E00"',
    null,
  ),
  row(
    '2026-11-24T18:00:10Z',
    'SetBlobMetadata',
    '200',
    'Success',
    'bbbb0000-801e-001e-47f4-2c3e77000000',
    '"0x8DECE5F6A1B2E01"',
    'If-Match=Tuesday, 24-Nov-26 18:00:00 GMT',
  ),
  row(
    '2026-11-24T18:00:11Z',
    'SetBlobMetadata',
    '412',
    'ConditionNotMet',
    'cccc0000-801e-001e-47f4-2c3e77000000',
    null,
    'If-Match=Tuesday, 24-Nov-26 18:00:00 GMT',
  ),
];

let mode: StandInMode = 'ok';
const standIn = useLogAnalyticsStandIn(() => modeAnswer(mode, COLUMNS, () => ROWS));
const queries = standIn.queries;

const run = (id: string) =>
  runCli(
    [
      'diagnose',
      '--request-id',
      id,
      '--workspace',
      'ws-1',
      '--workspace-endpoint',
      standIn.endpoint,
      '--since',
      '2026-11-24T17:00:00Z',
      '--until',
      '2026-11-24T19:00:00Z',
      '--json',
    ],
    standIn.env(),
    60_000,
  );

describe('cnm diagnose --workspace (loopback stand-in for Log Analytics)', () => {
  it('pushes the KQL down and diagnoses the 412: Event Hubs ownership claim lost, expected contention', async () => {
    mode = 'ok';
    const r = await run('cccc0000-801e-001e-47f4-2c3e77000000');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      source: { kind: 'log-analytics' },
      cause: { code: 'stale-etag' },
      contention: { kind: 'event-hubs-ownership', expected: true },
      timeline: { inferredEtag: '"0x8DECE5F6A1B2E00"' },
    });
    expect(queries.at(-1)).toMatch(/CorrelationId == "cccc0000-801e-001e-47f4-2c3e77000000" or ClientRequestId ==/);
  });

  it('partial results are reported as a note', async () => {
    mode = 'partial';
    const j = JSON.parse((await run('cccc0000-801e-001e-47f4-2c3e77000000')).stdout);
    expect(j.notes.join('\n')).toMatch(/partial results \(PartialError: query exceeded limits\)/);
  });

  it('throttling → exit 3, one line', async () => {
    mode = 'throttle';
    const r = await run('cccc0000-801e-001e-47f4-2c3e77000000');
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toMatch(/^cnm: Log Analytics throttled the query on workspace ws-1 \(429\)/);
  });

  it('no rows → exit 4 naming the workspace and the range', async () => {
    mode = 'empty';
    const r = await run('nope');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /Log Analytics workspace ws-1\) between 2026-11-24T17:00:00.000Z and 2026-11-24T19:00:00.000Z/,
    );
  });
});
