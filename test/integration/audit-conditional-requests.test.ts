/**
 * auditConditionalRequests on a real Azurite, with the workers of each test sharing one audited pipeline as an
 * application's would: no finding for readRefreshWrite or withBlobLease under contention, and each mistake the
 * policy names reported as it happens, with a redacted capture of the request and the service's answer.
 */
import {
  AnonymousCredential,
  BlobSASPermissions,
  BlobServiceClient,
  BlockBlobClient,
  newPipeline,
  StorageSharedKeyCredential,
  type ContainerClient,
} from '@azure/storage-blob';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_ACCOUNT, DEV_KEY } from '../../src/core/connection-string.js';
import { auditConditionalRequests, type AuditFinding } from '../../src/lib/audit-conditional-requests.js';
import { readRefreshWrite } from '../../src/lib/read-refresh-write.js';
import { withBlobLease } from '../../src/lib/with-blob-lease.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';

const fx = useAzurite();
let name: string;
/** The test's own writes, outside the audit: "another process". */
let outside: ContainerClient;

beforeAll(async () => {
  name = uniqueName('audit');
  outside = fx.service.getContainerClient(name);
  await outside.create();
});

/** A container client whose every request goes through one audit; `findings` fills as it reports. */
function audited(onFinding?: (f: AuditFinding) => void) {
  const findings: AuditFinding[] = [];
  const pipeline = newPipeline(new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY));
  pipeline.factories.unshift(auditConditionalRequests({ onFinding: onFinding ?? ((f) => findings.push(f)) }));
  const container = new BlobServiceClient(fx.az.blobEndpoint, pipeline).getContainerClient(name);
  return { container, findings };
}

async function failure(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as { statusCode?: number }).statusCode;
  }
}

const increment = (t: string | null) => String(Number(t ?? '0') + 1);

describe('auditConditionalRequests: no finding for correct code under contention', () => {
  it('6 readRefreshWrite workers creating and incrementing one blob, 4 withBlobLease workers on another: none', async () => {
    const { container, findings } = audited();
    const counter = container.getBlockBlobClient(uniqueName('rrw'));
    const leased = container.getBlockBlobClient(uniqueName('lease'));
    await outside.getBlockBlobClient(leased.name).upload('0', 1);
    const attempts: number[] = [];
    await Promise.all([
      ...Array.from({ length: 6 }, async () => {
        for (let i = 0; i < 4; i++) {
          const r = await readRefreshWrite(counter, increment, { maxAttempts: 100, backoff: { baseMs: 2, maxMs: 40 } });
          attempts.push(r.attempts);
        }
      }),
      ...Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 3; i++)
          await withBlobLease(
            leased,
            async ({ conditions }) => {
              const n = increment((await leased.downloadToBuffer()).toString());
              await leased.upload(n, n.length, { conditions });
            },
            { backoff: { baseMs: 5, maxMs: 50 } },
          );
      }),
    ]);
    expect((await counter.downloadToBuffer()).toString()).toBe('24');
    expect((await leased.downloadToBuffer()).toString()).toBe('12');
    expect(Math.max(...attempts)).toBeGreaterThan(1); // there was contention: writes were refused and retried
    expect(findings).toEqual([]);
  }, 60_000);
});

describe('auditConditionalRequests: each mistake, reported', () => {
  it('reused-etag: a cached ETag written with twice, while honest workers contend on the same blob', async () => {
    const { container, findings } = audited();
    const blob = container.getBlockBlobClient(uniqueName('cached'));
    await outside.getBlockBlobClient(blob.name).upload('0', 1);
    const cached = (await blob.getProperties()).etag!;
    await blob.upload('1', 1, { conditions: { ifMatch: cached } });
    const [status] = await Promise.all([
      failure(blob.upload('2', 1, { conditions: { ifMatch: cached } })),
      ...Array.from({ length: 4 }, () =>
        readRefreshWrite(blob, increment, { maxAttempts: 50, backoff: { baseMs: 2, maxMs: 20 } }),
      ),
    ]);
    expect(status).toBe(412);
    expect(findings.map((f) => f.kind)).toEqual(['reused-etag']);
    const [f] = findings;
    expect(f!.blob).toBe(blob.url);
    expect(f!.detail).toMatch(/already wrote this blob successfully with that ETag/);
    expect(f!.capture.request.headers['if-match']).toBe(cached);
    expect(f!.capture.response?.status).toBe(412);
    expect(f!.capture.response?.headers['x-ms-error-code']).toBe('ConditionNotMet');
  });

  it('an ETag from elsewhere (another process, a listing) is never blamed, even when it is stale', async () => {
    const { container, findings } = audited();
    const blob = container.getBlockBlobClient(uniqueName('foreign'));
    const old = (await outside.getBlockBlobClient(blob.name).upload('0', 1)).etag!;
    await outside.getBlockBlobClient(blob.name).upload('1', 1);
    expect(await failure(blob.upload('2', 1, { conditions: { ifMatch: old } }))).toBe(412);
    expect(findings).toEqual([]);
  });

  it('blind-retry: a write refused with 412 sent again with the same If-Match and no read between', async () => {
    const { container, findings } = audited();
    const blob = container.getBlockBlobClient(uniqueName('retry'));
    await outside.getBlockBlobClient(blob.name).upload('0', 1);
    const etag = (await blob.getProperties()).etag!;
    await outside.getBlockBlobClient(blob.name).upload('9', 1); // another process writes
    for (let i = 0; i < 3; i++) expect(await failure(blob.upload('1', 1, { conditions: { ifMatch: etag } }))).toBe(412);
    expect(findings.map((f) => f.kind)).toEqual(['blind-retry', 'blind-retry']);
    expect(findings[0]!.detail).toMatch(/same conditions \(If-Match .*\) after the service refused them/);
  });

  it('create-only-on-overwrite: If-None-Match: * on every save; a throwing onFinding changes no outcome', async () => {
    const seen: AuditFinding[] = [];
    const { container } = audited((f) => {
      seen.push(f);
      throw new Error('a careless handler');
    });
    const blob = container.getBlockBlobClient(uniqueName('create'));
    const save = (text: string) => blob.upload(text, text.length, { conditions: { ifNoneMatch: '*' } });
    await expect(save('v1')).resolves.toMatchObject({ etag: expect.any(String) });
    expect(await failure(save('v2'))).toBe(409);
    expect(seen.map((f) => f.kind)).toEqual(['create-only-on-overwrite']);
    expect(seen[0]!.capture.response?.headers['x-ms-error-code']).toBe('BlobAlreadyExists');
  });

  it('blind-write: an unconditional write beside conditional ones, in either order', async () => {
    const { container, findings } = audited();
    const after = container.getBlockBlobClient(uniqueName('blind-after'));
    await readRefreshWrite(after, increment, { maxAttempts: 3 });
    await after.upload('7', 1);
    const before = container.getBlockBlobClient(uniqueName('blind-before'));
    await before.upload('1', 1);
    await before.upload('2', 1);
    await readRefreshWrite(before, increment, { maxAttempts: 3 });
    expect(findings.map((f) => [f.kind, f.blob])).toEqual([
      ['blind-write', after.url],
      ['blind-write', before.url],
    ]);
    expect(findings[1]!.detail).toMatch(/^2 earlier writes/);
  });

  it('stale-lease: a lease id used after this process released it, and after it broke it', async () => {
    const { container, findings } = audited();
    const blob = container.getBlockBlobClient(uniqueName('stale'));
    await outside.getBlockBlobClient(blob.name).upload('0', 1);
    const released = blob.getBlobLeaseClient();
    await released.acquireLease(15);
    await blob.upload('1', 1, { conditions: { leaseId: released.leaseId } });
    await released.releaseLease();
    expect(await failure(blob.upload('2', 1, { conditions: { leaseId: released.leaseId } }))).toBe(412);
    const broken = blob.getBlobLeaseClient();
    await broken.acquireLease(30);
    await blob.getBlobLeaseClient().breakLease(0);
    expect(await failure(blob.upload('3', 1, { conditions: { leaseId: broken.leaseId } }))).toBe(412);
    expect(findings.map((f) => f.kind)).toEqual(['stale-lease', 'stale-lease']);
    expect(findings[0]!.detail).toMatch(/after this process released that lease/);
    expect(findings[1]!.detail).toMatch(/after this process saw the lease broken/);
  });

  it('a SAS never leaves: the finding names the blob without its query, the capture has sig=REDACTED', async () => {
    const blob = outside.getBlockBlobClient(uniqueName('sas'));
    await blob.upload('0', 1);
    const sasUrl = await blob.generateSasUrl({
      permissions: BlobSASPermissions.parse('rw'),
      expiresOn: new Date(Date.now() + 3_600_000),
    });
    const findings: AuditFinding[] = [];
    const pipeline = newPipeline(new AnonymousCredential());
    pipeline.factories.unshift(auditConditionalRequests({ onFinding: (f) => findings.push(f) }));
    const viaSas = new BlockBlobClient(sasUrl, pipeline);
    await viaSas.upload('1', 1, { conditions: { ifMatch: (await viaSas.getProperties()).etag } });
    await viaSas.upload('2', 1);
    expect(findings.map((f) => f.kind)).toEqual(['blind-write']);
    expect(findings[0]!.blob).toBe(blob.url);
    expect(findings[0]!.capture.request.url).toMatch(/sig=REDACTED/);
    expect(JSON.stringify(findings)).not.toContain(new URL(sasUrl).searchParams.get('sig')!);
  });
});
