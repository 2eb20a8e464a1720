import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

describe('cnm demo', () => {
  it('plays the race on its own Azurite, explains each 412 and ends by itself with exit 0', async () => {
    const r = await runCli(['demo'], cleanEnv(), 90_000);
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
  }, 90_000);
});
