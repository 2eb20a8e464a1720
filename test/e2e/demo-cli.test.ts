import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

describe('cnm demo', () => {
  it('plays the race on its own Azurite, explains each 412 and ends by itself with exit 0', async () => {
    // A wide terminal: the assertions read whole phrases, which a narrower table would wrap inside its cells.
    const r = await runCli(['demo'], cleanEnv({ COLUMNS: '240' }), 90_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/worker-b writes with its cached If-Match .* → 412 ConditionNotMet/);
    expect(r.stdout).toMatch(/cause: stale-etag/);
    expect(r.stdout).toMatch(/worker-c writes with its lease id → 412 LeaseNotPresentWithBlobOperation/);
    expect(r.stdout).toMatch(/cause: lease-not-present/);
    expect(r.stdout).toMatch(/leased, infinite: every write must send x-ms-lease-id/);
    expect(r.stdout).toMatch(/cause: lease-id-missing/);
    expect(r.stdout).toMatch(/127\.0\.0\.1:\d+\/devstoreaccount1/);
    expect(r.stdout).toMatch(/captured: .*\.json/);
    expect(r.stdout).toMatch(/\$ cnm diagnose --request-id [0-9a-f-]+ --logs /);
    expect(r.stdout).toMatch(/◀ produced the ETag the client supplied/);
    expect(r.stdout).toMatch(/◀ replaced it/);
    expect(r.stdout).toMatch(/readRefreshWrite/);
    expect(r.stdout).toMatch(/no update lost/);
    // The lease story: what ended worker-c's lease, who did it, and the lease timeline that shows it.
    expect(r.stdout).toMatch(/origin: lease-broken \(certain\)/);
    expect(r.stdout).toMatch(/was broken by BreakBlobLease at .* by ops-script\/1\.0 /);
    expect(r.stdout).toMatch(
      /Lease timeline \(±5m around the failure\)\n {2}● .* acquire +201 +[0-9a-f-]{36} 30 s .*worker-c\/1\.0/,
    );
    expect(r.stdout).toMatch(/ {2}● .* break +202 +break period 0 s .*ops-script\/1\.0/);
    expect(r.stdout).not.toMatch(/no ETag to trace/);
    // The prevention kit: withBlobLease taking turns and refusing a late write, and a short load table.
    expect(r.stdout).toMatch(/worker-e: lease [0-9a-f-]+ after \d+ ms of waiting, wrote with it, released it/);
    expect(r.stdout).toMatch(/worker-g\.bin.*: no update lost; lease state available/);
    expect(r.stdout).toMatch(/lost \(refused\): the renewal was answered 409 LeaseIsBrokenAndCannotBeRenewed/);
    expect(r.stdout).toMatch(/worker-h writes anyway with its lease id → 412 \w+: refused, manifest\.json untouched/);
    expect(r.stdout).toMatch(/\$ cnm load --writers 5 --ops 3/);
    expect(r.stdout).toMatch(/│ etag +│ +5 × 3 │ +0 │/);
    expect(r.stdout).toMatch(/│ lease +│ +5 × 3 │ +0 │/);
  }, 90_000);

  it("ignores the user's credentials and endpoint: it reads only its own Azurite", async () => {
    const r = await runCli(
      [
        'demo',
        '--json',
        '--account-url',
        'http://127.0.0.1:1/devstoreaccount1',
        '--connection-string',
        'UseDevelopmentStorage=true',
      ],
      cleanEnv(),
      90_000,
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const inspectStep = j.steps.find((s: any) => s.report?.command === 'inspect');
    expect(inspectStep.report.exists).toBe(true);
    expect(inspectStep.report.blob.url.startsWith(j.endpoint)).toBe(true);
  }, 90_000);

  it('--json gives every step with the report of the cnm command it ran', async () => {
    const r = await runCli(['demo', '--json'], cleanEnv(), 90_000);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.command).toBe('demo');
    const causes = j.steps.filter((s: any) => s.report?.command === 'replay').map((s: any) => s.report.cause.code);
    expect(causes).toEqual(['stale-etag', 'lease-not-present', 'lease-id-missing']);
    expect(j.steps.some((s: any) => s.report?.command === 'inspect' && s.report.lease.state === 'leased')).toBe(true);
    const diagnosed = j.steps.filter((s: any) => s.report?.command === 'diagnose').map((s: any) => s.report);
    expect(diagnosed.map((r: any) => r.cause.code)).toEqual(['stale-etag', 'lease-not-present', 'lease-id-missing']);
    expect(
      diagnosed.map((r: any) => [r.origin.kind, r.origin.confidence, r.origin.by.userAgent.split(' ')[0]]),
    ).toEqual([
      ['other-writer', 'certain', 'worker-a/1.0'],
      ['lease-broken', 'certain', 'ops-script/1.0'],
      ['other-writer', 'certain', 'worker-d/1.0'],
    ]);
    expect(diagnosed[1].leases.map((l: any) => [l.action, l.userAgent.split(' ')[0]])).toEqual([
      ['acquire', 'worker-c/1.0'],
      ['break', 'ops-script/1.0'],
    ]);
    const d = diagnosed[0];
    expect(d.writers.length).toBeGreaterThan(0);
    expect(d.writers.some((w: any) => w.operation === 'PutBlob' && w.status === 201)).toBe(true);
    const load = j.steps.find((s: any) => s.report?.command === 'load').report;
    expect(load.results.map((x: any) => [x.strategy, x.writers, x.ops])).toEqual([
      ['blind', 5, 3],
      ['etag', 5, 3],
      ['lease', 5, 3],
    ]);
    expect(load.results.filter((x: any) => x.strategy !== 'blind').map((x: any) => x.lostUpdates)).toEqual([0, 0]);
    // cnm stats of the demo's own Azurite log: the races above are in it, counted by code, blob and origin.
    const st = j.steps.find((s: any) => s.report?.command === 'stats').report;
    expect(st.totals.failures).toBeGreaterThanOrEqual(diagnosed.length);
    expect(st.byErrorCode.ConditionNotMet).toBeGreaterThan(0);
    expect(st.blobs.map((b: any) => b.blob)).toContain('/devstoreaccount1/releases/manifest.json');
    expect(st.byOrigin['lease-broken']).toBeGreaterThan(0);
    expect(st.next).toMatch(/^cnm diagnose --request-id \S+ --logs /);
  }, 90_000);
});
