import { describe, expect, it, beforeAll } from 'vitest';
import { inspect } from '../../src/commands/inspect.js';
import type { Context } from '../../src/commands/context.js';
import { testContext } from '../helpers/context.js';
import { CnmError } from '../../src/core/errors.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';

const fx = useAzurite();

function ctx(extra: Record<string, unknown> = {}): Context {
  return testContext({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString }, { timeout: '5000', ...extra });
}

describe('cnm inspect against Azurite', () => {
  const container = uniqueName('inspect');
  // The 15 s lease is taken first so the "expired" case can run last without its own 16 s wait.
  let expiringAt = 0;

  beforeAll(async () => {
    const c = fx.service.getContainerClient(container);
    await c.create();
    const put = async (name: string) => {
      const b = c.getBlockBlobClient(name);
      await b.upload('{"v":1}', 7, {
        metadata: { owner: 'worker-a' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return b;
    };
    await (await put('expired.json')).getBlobLeaseClient().acquireLease(15);
    expiringAt = Date.now() + 15_000;
    await put('available.json');
    await (await put('fixed.json')).getBlobLeaseClient().acquireLease(60);
    const infinite = await put('infinite.json');
    await infinite.setTags({ env: 'prod' });
    await infinite.getBlobLeaseClient().acquireLease(-1);
    const breaking = await put('breaking.json');
    await breaking.getBlobLeaseClient().acquireLease(-1);
    await breaking.getBlobLeaseClient().breakLease(60);
    const broken = await put('broken.json');
    await broken.getBlobLeaseClient().acquireLease(-1);
    await broken.getBlobLeaseClient().breakLease(0);
  });

  it('an unleased blob → available/unlocked, quoted ETag, metadata, content type, exit 0', async () => {
    const r = await inspect(`${container}/available.json`, {}, ctx());
    expect(r.exists).toBe(true);
    expect(r.etag).toMatch(/^"0x[0-9A-F]+"$/);
    expect(r.lease).toEqual({ state: 'available', status: 'unlocked', duration: null });
    expect(r.leaseReading).toMatch(/^not leased/);
    expect(r.contentLength).toBe(7);
    expect(r.contentType).toBe('application/json');
    expect(r.blobType).toBe('BlockBlob');
    expect(r.metadata).toEqual({ owner: 'worker-a' });
    expect(r.tags).toEqual({});
    expect(r.lastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  });

  it('a fixed lease → leased/locked/fixed and a reading that says it expires unless renewed', async () => {
    const r = await inspect(`${container}/fixed.json`, {}, ctx());
    expect(r.lease).toEqual({ state: 'leased', status: 'locked', duration: 'fixed' });
    expect(r.leaseReading).toMatch(/expires unless renewed/);
  });

  it('an infinite lease → the writer reading of the design card, and tags read concurrently', async () => {
    const r = await inspect(`${container}/infinite.json`, {}, ctx());
    expect(r.lease).toEqual({ state: 'leased', status: 'locked', duration: 'infinite' });
    expect(r.leaseReading).toBe(
      'leased, infinite: every write must send x-ms-lease-id; nothing frees it but a release or a break',
    );
    expect(r.tags).toEqual({ env: 'prod' });
  });

  it('tags named __proto__ and constructor are shown as tags, not lost to the object prototype', async () => {
    const b = fx.service.getContainerClient(container).getBlockBlobClient('proto-tags.json');
    await b.upload('{}', 2);
    await b.setTags(
      Object.fromEntries([
        ['__proto__', 'y'],
        ['constructor', 'z'],
      ]),
    );
    const r = await inspect(`${container}/proto-tags.json`, {}, ctx());
    expect(Object.entries(r.tags ?? {}).sort()).toEqual([
      ['__proto__', 'y'],
      ['constructor', 'z'],
    ]);
  });

  it('a lease being broken → breaking/locked, writes still need the old id', async () => {
    const r = await inspect(`${container}/breaking.json`, {}, ctx());
    expect(r.lease?.state).toBe('breaking');
    expect(r.lease?.status).toBe('locked');
    expect(r.leaseReading).toMatch(/still needs the old x-ms-lease-id/);
  });

  it('a broken lease → broken/unlocked, the old id now fails', async () => {
    const r = await inspect(`${container}/broken.json`, {}, ctx());
    expect(r.lease).toEqual({ state: 'broken', status: 'unlocked', duration: null });
    expect(r.leaseReading).toMatch(/old lease id now fails 412/);
  });

  it("a container's lease with --container", async () => {
    const name = uniqueName('leased');
    const c = fx.service.getContainerClient(name);
    await c.create();
    await c.getBlobLeaseClient().acquireLease(-1);
    const r = await inspect(name, { container: true }, ctx());
    expect(r.target).toBe('container');
    expect(r.lease).toEqual({ state: 'leased', status: 'locked', duration: 'infinite' });
    expect(r.leaseReading).toMatch(/Delete Container must send x-ms-lease-id/);
    expect(r.publicAccess).toBe('none');
  });

  it('a missing blob → exists false and the container still exists', async () => {
    const r = await inspect(`${container}/nope.json`, {}, ctx());
    expect(r.exists).toBe(false);
    expect(r.containerExists).toBe(true);
    expect(r.notes[0]).toMatch(/BlobNotFound/);
  });

  it('a missing container → exists false, containerExists false', async () => {
    const r = await inspect(`${uniqueName('gone')}/x.json`, {}, ctx());
    expect(r.exists).toBe(false);
    expect(r.containerExists).toBe(false);
  });

  it('a wrong account key → CnmError auth, exit 3, with the request id', async () => {
    const bad = fx.az.connectionString.replace(
      /AccountKey=[^;]+/,
      `AccountKey=${Buffer.from('wrong-key-wrong-key').toString('base64')}`,
    );
    const c = ctx();
    c.env = { AZURE_STORAGE_CONNECTION_STRING: bad };
    const err = await inspect(`${container}/available.json`, {}, c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CnmError);
    expect((err as CnmError).exitCode).toBe(3);
    expect((err as CnmError).status).toBe(403);
  });

  it('a lease left to run out → expired/unlocked (real 15 s lease)', async () => {
    await new Promise((r) => setTimeout(r, Math.max(0, expiringAt - Date.now() + 1500)));
    const r = await inspect(`${container}/expired.json`, {}, ctx());
    expect(r.lease).toEqual({ state: 'expired', status: 'unlocked', duration: null });
    expect(r.leaseReading).toMatch(/^expired/);
  }, 40_000);
});
