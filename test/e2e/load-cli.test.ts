/**
 * `cnm load` through the real binary: on its own embedded Azurite by default; on a scratch blob (here the test's
 * Azurite standing in for a real account, through the fault proxy) only with --blob --execute, and never on a blob
 * it did not create.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import { startFaultProxy, type FaultProxy } from '../../src/testing/fault-proxy.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const fx = useAzurite();
const container = uniqueName('load');
let proxy: FaultProxy;

const viaProxy = () =>
  cleanEnv({
    AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${proxy.url}/${DEV_ACCOUNT};`,
  });

beforeAll(async () => {
  proxy = await startFaultProxy(new URL(fx.az.blobEndpoint).origin);
  await fx.service.getContainerClient(container).create();
});
afterAll(() => proxy?.close());

describe('cnm load', () => {
  it('on its embedded Azurite: a table per strategy and what it means; blind loses updates, etag and lease none', async () => {
    const r = await runCli(['load', '--writers', '4', '--ops', '3'], cleanEnv(), 90_000);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(''); // progress only on a TTY
    expect(r.stdout).toMatch(/on cnm's embedded Azurite \(http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\)/);
    expect(r.stdout).toMatch(
      /strategy .* writers × ops .* lost updates .* 412 rate .* attempts\/write .* writes\/s .* p99 ms/,
    );
    expect(r.stdout).toMatch(/4 writers × 3 writes each, on one blob:/);
    expect(r.stdout).toMatch(/blind writes lost \d+ of 12 updates|blind writes lost nothing this time/);
    expect(r.stdout).toMatch(/optimistic retries \(If-Match\) spent [\d.]+ attempts per write; .*no update lost/);
    expect(r.stdout).toMatch(/a lease serializes the writers at [\d.]+ writes\/s .*no update lost/);
  }, 120_000);

  it('--json: results[] with the keys of the contract, strategies in the order given', async () => {
    const r = await runCli(
      ['load', '--strategy', 'lease', '--strategy', 'etag,blind', '--writers', '3', '--ops', '2', '--json'],
      cleanEnv(),
      90_000,
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ command: 'load', target: { kind: 'embedded-azurite' } });
    expect(j.results.map((x: any) => x.strategy)).toEqual(['lease', 'etag', 'blind']);
    for (const x of j.results) {
      for (const key of [
        'strategy',
        'writers',
        'ops',
        'lostUpdates',
        'conditionFailures',
        'attemptsPerWrite',
        'throughput',
        'p50Ms',
        'p99Ms',
      ])
        expect(x).toHaveProperty(key);
      expect(x).toMatchObject({ writers: 3, ops: 2 });
    }
    expect(j.results[0]).toMatchObject({ lostUpdates: 0, reordered: 0, failedWrites: 0 });
    expect(j.results[1]).toMatchObject({ lostUpdates: 0, reordered: 0, failedWrites: 0 });
    expect(j.results[1].attemptsPerWrite).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('--blob without --execute: exit 2, one line, and nothing is written', async () => {
    const name = uniqueName('scratch');
    proxy.seen.length = 0;
    const r = await runCli(['load', '--blob', `${container}/${name}`], viaProxy());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^cnm: --blob writes to a real blob: nothing was written — add --execute/);
    expect(proxy.seen).toHaveLength(0); // not even a read
    expect(await fx.service.getContainerClient(container).getBlobClient(name).exists()).toBe(false);
  });

  it('--blob --execute on a blob that exists without its mark: exit 2, the blob unchanged', async () => {
    const blob = fx.service.getContainerClient(container).getBlockBlobClient(uniqueName('precious'));
    const etag = (await blob.upload('{"keep":true}', 13)).etag;
    const r = await runCli(['load', '--blob', `${container}/${blob.name}`, '--execute'], viaProxy());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists and was not written by cnm load; nothing was written — name a scratch blob/);
    expect((await blob.getProperties()).etag).toBe(etag);
  });

  it('--blob --execute through a service answering some 503s: it runs on the scratch blob, then deletes it', async () => {
    const name = uniqueName('scratch');
    let puts = 0;
    const everyFifthPut = (req: { method: string }) => req.method === 'PUT' && ++puts % 5 === 0;
    proxy.setRules([{ match: everyFifthPut, fault: { kind: 'status', status: 503 }, times: 3 }]);
    try {
      const args = `load --blob ${container}/${name} --execute --strategy etag,lease --writers 3 --ops 2 --json`;
      const r = await runCli(args.split(' '), viaProxy(), 90_000);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.target).toEqual({ kind: 'blob', blob: `${proxy.url}/${DEV_ACCOUNT}/${container}/${name}` });
      expect(j.results.map((x: any) => [x.strategy, x.lostUpdates, x.failedWrites])).toEqual([
        ['etag', 0, 0],
        ['lease', 0, 0],
      ]);
      expect(proxy.seen.filter((s) => s.fault === 'status')).toHaveLength(3);
      expect(await fx.service.getContainerClient(container).getBlobClient(name).exists()).toBe(false);
    } finally {
      proxy.setRules([]);
    }
  }, 120_000);

  it('--blob --execute in a container that does not exist: exit 4; an unreachable account: exit 3', async () => {
    const missing = await runCli(['load', '--blob', `${uniqueName('nope')}/x.json`, '--execute'], viaProxy());
    expect(missing.code).toBe(4);
    const down = await runCli(
      ['load', '--blob', 'scratch/x.json', '--execute', '--timeout', '2000'],
      cleanEnv({
        AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=http://127.0.0.1:1/${DEV_ACCOUNT};`,
      }),
    );
    expect(down.code).toBe(3);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
