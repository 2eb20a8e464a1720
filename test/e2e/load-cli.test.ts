/**
 * `cnm load` through the real binary: on its own embedded Azurite by default; on a scratch blob (here the test's
 * Azurite standing in for a real account, through the fault proxy) only with --blob --execute, and never on a blob
 * it did not create.
 */
import type { BlockBlobClient } from '@azure/storage-blob';
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

  // cnm load's own writes to the scratch blob (the reset between strategies, the delete at the end) are conditioned
  // on what it last saw and sent once: the faults below are what a real network and a second writer do to them.
  // A reset: `[]` with the mark (the etag strategy's writers keep the metadata they read, the mark with it).
  const marked = (req: { method: string; headers: Record<string, unknown> }) =>
    req.method === 'PUT' && req.headers['x-ms-meta-cnmload'] === 'scratch' && req.headers['content-length'] === '2';
  const sentFor = (name: string, method: string, mark = false) =>
    proxy.seen.filter((s) => s.method === method && s.url.includes(`/${container}/${name}`) && (!mark || marked(s)));
  const small = (name: string) => `load --blob ${container}/${name} --execute --strategy etag --writers 2 --ops 1`;
  /**
   * Holds the first reset back 500 ms while another writer puts `content` in the blob (after cnm load's check);
   * resolves to that writer's ETag.
   */
  const writeDuringReset = (blob: BlockBlobClient, content: string): (() => Promise<string | undefined>) => {
    let written: Promise<string | undefined> | undefined;
    const race = (req: { method: string; headers: Record<string, unknown> }) => {
      if (!marked(req)) return false;
      written ??= blob.upload(content, content.length).then((u) => u.etag);
      return true;
    };
    proxy.setRules([{ match: race, fault: { kind: 'delay', ms: 500 }, times: 1 }]);
    return () => written!;
  };

  it('--blob --execute, the answer to the reset lost: the reset is sent once, not again blindly; exit 3', async () => {
    const name = uniqueName('lost-reset');
    proxy.seen.length = 0;
    proxy.setRules([{ match: marked, fault: { kind: 'reset-after' }, times: 1 }]);
    try {
      const r = await runCli(small(name).split(' '), viaProxy(), 60_000);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(sentFor(name, 'PUT', true)).toHaveLength(1);
    } finally {
      proxy.setRules([]);
      await fx.service.getContainerClient(container).getBlobClient(name).deleteIfExists();
    }
  }, 90_000);

  it('--blob --execute, the reset refused unprocessed (503): sent again, the run goes on', async () => {
    const name = uniqueName('refused-reset');
    proxy.seen.length = 0;
    proxy.setRules([{ match: marked, fault: { kind: 'status', status: 503 }, times: 1 }]);
    try {
      const r = await runCli([...small(name).split(' '), '--json'], viaProxy(), 60_000);
      expect(r.code).toBe(0);
      expect(sentFor(name, 'PUT', true).map((s) => s.fault)).toEqual(['status', 'pass']);
      expect(await fx.service.getContainerClient(container).getBlobClient(name).exists()).toBe(false);
    } finally {
      proxy.setRules([]);
    }
  }, 90_000);

  it('--blob --execute, a blob created by someone else after the check: not overwritten, not deleted; exit 2', async () => {
    const name = uniqueName('raced');
    const theirs = fx.service.getContainerClient(container).getBlockBlobClient(name);
    proxy.seen.length = 0;
    // Another writer creates the blob after cnm load checked it did not exist.
    const created = writeDuringReset(theirs, '{"theirs":true}');
    try {
      const r = await runCli(small(name).split(' '), viaProxy(), 60_000);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/was created or changed by someone else since cnm load read it; nothing was written/);
      const etag = await created();
      expect((await theirs.getProperties()).etag).toBe(etag);
      expect((await theirs.downloadToBuffer()).toString()).toBe('{"theirs":true}');
      expect(sentFor(name, 'DELETE')).toHaveLength(0);
    } finally {
      proxy.setRules([]);
      await theirs.deleteIfExists();
    }
  }, 90_000);

  it('--blob --execute, the delete failing: sent once, the outcome of the run kept, the blob named as left behind', async () => {
    const name = uniqueName('undeleted');
    proxy.seen.length = 0;
    proxy.setRules([{ match: (req) => req.method === 'DELETE', fault: { kind: 'status', status: 500 } }]);
    try {
      const r = await runCli([...small(name).split(' '), '--json'], viaProxy(), 60_000);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).results).toHaveLength(1);
      expect(r.stderr).toMatch(/could not delete the scratch blob/);
      expect(sentFor(name, 'DELETE')).toHaveLength(1);
    } finally {
      proxy.setRules([]);
      await fx.service.getContainerClient(container).getBlobClient(name).deleteIfExists();
    }
  }, 90_000);

  it('--blob --execute on a marked scratch blob changed after the check: not overwritten; exit 2', async () => {
    const name = uniqueName('remarked');
    const blob = fx.service.getContainerClient(container).getBlockBlobClient(name);
    await blob.upload('[]', 2, { metadata: { cnmload: 'scratch' } });
    const changed = writeDuringReset(blob, '{"now":"theirs"}');
    try {
      const r = await runCli(small(name).split(' '), viaProxy(), 60_000);
      expect(r.code).toBe(2);
      expect((await blob.getProperties()).etag).toBe(await changed());
    } finally {
      proxy.setRules([]);
      await blob.deleteIfExists();
    }
  }, 90_000);

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
