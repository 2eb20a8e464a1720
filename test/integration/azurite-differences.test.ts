/**
 * Both sides of every modelled Azurite difference (docs/azurite-differences.md): Azurite's real answer to a
 * request, and the engine's Azure answer to the same request, which differs as documented.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startAzurite } from '../../src/azure/embedded-azurite.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { azuriteExpectation } from '../../src/core/azurite-differences.js';
import { evaluateConditions } from '../../src/core/evaluate.js';
import type { BlobState, CapturedRequest } from '../../src/core/types.js';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import type { BlobSpec, LeaseSpec } from './differential/cases.js';
import { STALE, build, readState } from './differential/scenario.js';
import { send } from './differential/signed-request.js';

const fx = useAzurite();
let container: ContainerClient;
let n = 0;

beforeAll(async () => {
  container = fx.service.getContainerClient(uniqueName('azdiff'));
  await container.create();
});

const spec = (over: Partial<BlobSpec> = {}): BlobSpec => ({
  exists: true,
  type: 'BlockBlob',
  lease: 'available',
  tags: { env: 'prod' },
  sequenceNumber: 0,
  appends: [],
  ...over,
});
const leased = (lease: LeaseSpec, over: Partial<BlobSpec> = {}) => spec({ lease, ...over });

interface Request {
  method: string;
  query?: string;
  headers: (s: BlobState, leaseId?: string) => Record<string, string>;
  body?: string;
  /** Copy Blob: the source blob. */
  source?: BlobSpec;
}

type Answer = { status: number; errorCode?: string };

async function probe(blob: BlobSpec, r: Request) {
  n += 1;
  const built = await build(container, `d${n}`, blob);
  const state = await readState(built);
  const headers = r.headers(state, built.leaseId);
  if (r.source) {
    const src = await build(container, `s${n}`, r.source);
    state.source = await readState(src);
    headers['x-ms-copy-source'] = src.blob.url;
  }
  const body = Buffer.from(r.body ?? '');
  if (body.length > 0) headers['content-length'] = String(body.length);
  const req: CapturedRequest = { method: r.method, url: built.blob.url + (r.query ?? ''), headers };
  const actual = await send(req, body);
  const azure = evaluateConditions(req, state).expected;
  return { actual, azure, model: azuriteExpectation(req, state, azure) };
}

const put = (headers: Request['headers'], query = ''): Request => ({ method: 'PUT', query, headers, body: 'world' });
const putBlob = (headers: Request['headers']): Request => ({
  method: 'PUT',
  headers: (s, l) => ({ 'x-ms-blob-type': 'BlockBlob', ...headers(s, l) }),
  body: 'world',
});
const copy = (headers: Request['headers'], source: BlobSpec = spec()): Request => ({ method: 'PUT', headers, source });
const etag = (s: BlobState) => s.etag!;
const lastModified = (s: BlobState) => new Date(s.lastModified!).toUTCString();

const CASES: [string, string, BlobSpec, Request, Answer, Answer][] = [
  [
    'HEAD + If-Match on a missing blob',
    'AZ-1',
    spec({ exists: false }),
    { method: 'HEAD', headers: () => ({ 'if-match': STALE }) },
    { status: 404, errorCode: 'BlobNotFound' },
    { status: 412, errorCode: 'ConditionNotMet' },
  ],
  [
    'Snapshot Blob + If-None-Match = current ETag',
    'AZ-2',
    spec(),
    { method: 'PUT', query: '?comp=snapshot', headers: (s) => ({ 'if-none-match': etag(s) }) },
    { status: 412, errorCode: 'ConditionNotMet' },
    { status: 304, errorCode: 'ConditionNotMet' },
  ],
  [
    'Copy Blob + stale x-ms-source-if-match',
    'AZ-3',
    spec(),
    copy(() => ({ 'x-ms-source-if-match': STALE })),
    { status: 412, errorCode: 'SourceConditionNotMet' },
    { status: 412, errorCode: 'ConditionNotMet' },
  ],
  [
    'Set Blob Metadata + current If-Match + a failing x-ms-if-tags',
    'AZ-4',
    spec(),
    {
      method: 'PUT',
      query: '?comp=metadata',
      headers: (s) => ({ 'if-match': etag(s), 'x-ms-if-tags': `"env" = 'dev'` }),
    },
    { status: 412, errorCode: 'ConditionNotMet' },
    { status: 200 },
  ],
  [
    "Get Blob Properties + x-ms-if-tags on a tag named __proto__ the blob has ('y')",
    'AZ-29',
    spec({ tags: Object.fromEntries([['__proto__', 'y']]) }),
    { method: 'HEAD', headers: () => ({ 'x-ms-if-tags': `"__proto__" = 'y'` }) },
    { status: 200 },
    { status: 412, errorCode: 'ConditionNotMet' },
  ],
  [
    'Set Blob Metadata + x-ms-if-tags "constructor" > \'a\' on a blob without that tag',
    'AZ-29',
    spec(),
    { method: 'PUT', query: '?comp=metadata', headers: () => ({ 'x-ms-if-tags': `"constructor" > 'a'` }) },
    { status: 412, errorCode: 'ConditionNotMet' },
    { status: 200 },
  ],
  [
    'Query Blob Contents with a stale If-Match',
    'AZ-31',
    spec(),
    {
      method: 'POST',
      query: '?comp=query',
      headers: () => ({ 'if-match': STALE, 'content-type': 'application/xml' }),
      body: '<?xml version="1.0" encoding="utf-8"?><QueryRequest><QueryType>SQL</QueryType><Expression>SELECT * from BlobStorage</Expression></QueryRequest>',
    },
    { status: 412, errorCode: 'ConditionNotMet' },
    { status: 501, errorCode: 'APINotImplemented' },
  ],
  [
    'Set Blob Tags + stale x-ms-blob-if-match',
    'AZ-5',
    spec(),
    {
      method: 'PUT',
      query: '?comp=tags',
      headers: () => ({ 'x-ms-blob-if-match': STALE }),
      body: '<?xml version="1.0" encoding="utf-8"?><Tags><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tags>',
    },
    { status: 412, errorCode: 'ConditionNotMet' },
    { status: 204 },
  ],
  [
    'Get Blob + If-None-Match: * on an existing blob',
    'AZ-6',
    spec(),
    { method: 'GET', headers: () => ({ 'if-none-match': '*' }) },
    { status: 304, errorCode: 'ConditionNotMet' },
    { status: 400, errorCode: 'UnsatisfiableCondition' },
  ],
  [
    'Set Blob Metadata + If-None-Match: * on an existing blob',
    'AZ-7',
    spec(),
    { method: 'PUT', query: '?comp=metadata', headers: () => ({ 'if-none-match': '*' }) },
    { status: 412, errorCode: 'ConditionNotMet' },
    { status: 200 },
  ],
  [
    'Put Blob + If-None-Match: * on a leased blob without a lease id',
    'AZ-8',
    leased('infinite'),
    putBlob(() => ({ 'if-none-match': '*' })),
    { status: 412, errorCode: 'LeaseIdMissing' },
    { status: 409, errorCode: 'BlobAlreadyExists' },
  ],
  [
    'Set Blob Metadata on a leased blob with a stale If-Match and no lease id',
    'AZ-9',
    leased('infinite'),
    { method: 'PUT', query: '?comp=metadata', headers: () => ({ 'if-match': STALE }) },
    { status: 412, errorCode: 'LeaseIdMissing' },
    { status: 412, errorCode: 'ConditionNotMet' },
  ],
  [
    'Copy Blob onto a destination with a fixed lease and its id',
    'AZ-11',
    leased('fixed'),
    copy((_s, id) => ({ 'x-ms-lease-id': id! })),
    { status: 412, errorCode: 'InfiniteLeaseDurationRequired' },
    { status: 202 },
  ],
  [
    'Put Blob + If-Match: * on a missing blob',
    'AZ-12',
    spec({ exists: false }),
    putBlob(() => ({ 'if-match': '*' })),
    { status: 412, errorCode: 'ConditionNotMet' },
    { status: 201 },
  ],
  [
    'Get Blob + If-Match: W/<current ETag>',
    'AZ-13',
    spec(),
    { method: 'GET', headers: (s) => ({ 'if-match': `W/${etag(s)}` }) },
    { status: 200 },
    { status: 412, errorCode: 'ConditionNotMet' },
  ],
  [
    'Put Blob with a lease id on a missing blob',
    'AZ-20',
    spec({ exists: false }),
    putBlob(() => ({ 'x-ms-lease-id': '00000000-0000-4000-8000-000000000bad' })),
    { status: 412, errorCode: 'LeaseNotPresentWithBlobOperation' },
    { status: 201 },
  ],
  [
    'Get Blob + If-Match "stale", "current" (a space after the comma)',
    'AZ-21',
    spec(),
    { method: 'GET', headers: (s) => ({ 'if-match': `${STALE}, ${etag(s)}` }) },
    { status: 200 },
    { status: 412, errorCode: 'ConditionNotMet' },
  ],
  [
    'Put Page on a leased blob without an id, with If-Match + If-Modified-Since',
    'AZ-22',
    leased('infinite', { type: 'PageBlob' }),
    {
      method: 'PUT',
      query: '?comp=page',
      body: 'p'.repeat(512),
      headers: (s) => ({
        'x-ms-page-write': 'update',
        'x-ms-range': 'bytes=0-511',
        'if-match': etag(s),
        'if-modified-since': lastModified(s),
      }),
    },
    { status: 400, errorCode: 'MultipleConditionHeadersNotSupported' },
    { status: 412, errorCode: 'LeaseIdMissing' },
  ],
  [
    'Copy Blob from a source that does not exist, with If-Match + If-Modified-Since (a 400 combination)',
    'AZ-23',
    spec(),
    copy((s) => ({ 'if-match': etag(s), 'if-modified-since': lastModified(s) }), spec({ exists: false })),
    { status: 400, errorCode: 'MultipleConditionHeadersNotSupported' },
    { status: 404, errorCode: 'BlobNotFound' },
  ],
  [
    'Acquire with an out-of-range duration on a blob another id has leased',
    'AZ-24',
    leased('infinite'),
    {
      method: 'PUT',
      query: '?comp=lease',
      headers: () => ({ 'x-ms-lease-action': 'acquire', 'x-ms-lease-duration': '61' }),
    },
    { status: 400, errorCode: 'InvalidHeaderValue' },
    { status: 409, errorCode: 'LeaseAlreadyPresent' },
  ],
  [
    'Break an infinite lease with a break period of 61 s',
    'AZ-24',
    leased('infinite'),
    {
      method: 'PUT',
      query: '?comp=lease',
      headers: () => ({ 'x-ms-lease-action': 'break', 'x-ms-lease-break-period': '61' }),
    },
    { status: 400, errorCode: 'InvalidHeaderValue' },
    { status: 202 },
  ],
  [
    'Put Blob From URL (any conditions)',
    'AZ-16',
    spec(),
    {
      method: 'PUT',
      headers: (s) => ({
        'x-ms-blob-type': 'BlockBlob',
        'x-ms-copy-source': 'https://acct.blob.core.windows.net/cont/src',
        'if-match': etag(s),
      }),
    },
    { status: 201 },
    { status: 501, errorCode: 'APINotImplemented' },
  ],
  [
    'Put Block From URL (any conditions)',
    'AZ-16',
    spec(),
    {
      method: 'PUT',
      query: '?comp=block&blockid=YmxvY2sx',
      headers: () => ({
        'x-ms-copy-source': 'https://acct.blob.core.windows.net/cont/src',
        'x-ms-source-range': 'bytes=0-4',
      }),
    },
    { status: 201 },
    { status: 501, errorCode: 'APINotImplemented' },
  ],
  [
    'Seal Blob with an append position that is not its length',
    'AZ-28',
    spec({ type: 'AppendBlob', appends: [5] }),
    { method: 'PUT', query: '?comp=seal', headers: () => ({ 'x-ms-blob-condition-appendpos': '1' }) },
    { status: 412, errorCode: 'AppendPositionConditionNotMet' },
    { status: 200 },
  ],
  [
    'Copy Blob with a stale destination If-Match',
    'AZ-27',
    spec(),
    copy(() => ({ 'if-match': STALE })),
    { status: 412, errorCode: 'TargetConditionNotMet' },
    { status: 412, errorCode: 'ConditionNotMet' },
  ],
];

/** Where the model used to be wrong and Azurite answers what Azure answers: the model must say "same". */
const SAME: [string, BlobSpec, Request, Answer][] = [
  [
    'Copy Blob from a source that does not exist → 404 BlobNotFound on both',
    spec(),
    copy(() => ({}), spec({ exists: false })),
    { status: 404, errorCode: 'BlobNotFound' },
  ],
  [
    'Seal Blob with its own length as the append position → 200 on both',
    spec({ type: 'AppendBlob', appends: [5] }),
    { method: 'PUT', query: '?comp=seal', headers: () => ({ 'x-ms-blob-condition-appendpos': '5' }) },
    { status: 200 },
  ],
  [
    'Get Blob Tags with a failing x-ms-if-tags → 412 on both',
    spec(),
    { method: 'GET', query: '?comp=tags', headers: () => ({ 'x-ms-if-tags': `"env" = 'dev'` }) },
    { status: 412, errorCode: 'ConditionNotMet' },
  ],
  [
    'Get Page Ranges with a matching If-None-Match → 304 on both',
    spec({ type: 'PageBlob' }),
    {
      method: 'GET',
      query: '?comp=pagelist',
      headers: (s) => ({ 'if-none-match': etag(s), 'x-ms-range': 'bytes=0-511' }),
    },
    { status: 304, errorCode: 'ConditionNotMet' },
  ],
  [
    'Get Block List with a failing x-ms-if-tags → 412 on both',
    spec(),
    { method: 'GET', query: '?comp=blocklist', headers: () => ({ 'x-ms-if-tags': `"env" = 'dev'` }) },
    { status: 412, errorCode: 'ConditionNotMet' },
  ],
  [
    "Get Blob with an unquoted tag key (env = 'dev') → 412 on both (AZ-26: Azurite accepts bare keys)",
    spec(),
    { method: 'GET', headers: () => ({ 'x-ms-if-tags': `env = 'dev'` }) },
    { status: 412, errorCode: 'ConditionNotMet' },
  ],
  [
    'Renew a broken lease with its own id → 409 LeaseIsBrokenAndCannotBeRenewed on both',
    leased('broken'),
    {
      method: 'PUT',
      query: '?comp=lease',
      headers: (_s, id) => ({ 'x-ms-lease-action': 'renew', 'x-ms-lease-id': id! }),
    },
    { status: 409, errorCode: 'LeaseIsBrokenAndCannotBeRenewed' },
  ],
];

describe('Azurite differences, both sides: Azurite 3.35 answers one thing, the engine predicts Azure answers another', () => {
  it.each(CASES)('%s (%s)', async (_name, id, blob, request, azure, azurite) => {
    const { actual, azure: engine, model } = await probe(blob, request);
    expect(actual).toEqual(azurite);
    expect(engine).toEqual(azure);
    expect(model).toEqual({ ...azurite, differenceId: id });
  });

  it.each(SAME)('%s', async (_name, blob, request, answer) => {
    const { actual, azure, model } = await probe(blob, request);
    expect(actual).toEqual(answer);
    expect(azure).toEqual(answer);
    expect(model).toBeUndefined();
  });

  it('AZ-25: renewing an expired lease with another id → Azurite 200; Azure 409 LeaseIdMismatchWithLeaseOperation', async () => {
    n += 1;
    const built = await build(container, `x${n}`, leased('expired'));
    await new Promise((r) => setTimeout(r, 16_000));
    const state = await readState(built);
    expect(state.lease?.state).toBe('expired');
    const req: CapturedRequest = {
      method: 'PUT',
      url: `${built.blob.url}?comp=lease`,
      headers: { 'x-ms-lease-action': 'renew', 'x-ms-lease-id': '00000000-0000-4000-8000-0000000000aa' },
    };
    const actual = await send(req);
    const azure = evaluateConditions(req, state).expected;
    expect(actual).toEqual({ status: 200 });
    expect(azure).toEqual({ status: 409, errorCode: 'LeaseIdMismatchWithLeaseOperation' });
    expect(azuriteExpectation(req, state, azure)).toEqual({ status: 200, differenceId: 'AZ-25' });
  }, 30_000);

  it('Append Block on a missing blob with a 400-worthy If-Match + If-None-Match → Azurite 404 first (AZ-22)', async () => {
    const { actual, azure } = await probe(
      spec({ exists: false, type: 'AppendBlob' }),
      put(() => ({ 'if-match': STALE, 'if-none-match': STALE }), '?comp=appendblock'),
    );
    expect(actual).toEqual({ status: 404, errorCode: 'BlobNotFound' });
    expect(azure).toEqual({ status: 400, errorCode: 'MultipleConditionHeadersNotSupported' });
  });

  it('AZ-30: Abort Copy Blob on an infinitely leased blob without x-ms-lease-id → Azurite 409 CopyIdMismatch (lease never asked for); Azure 412 LeaseIdMissing (not modelled)', async () => {
    const copyId = '00000000-0000-4000-8000-000000000000';
    const { actual, azure, model } = await probe(leased('infinite'), {
      method: 'PUT',
      query: `?comp=copy&copyid=${copyId}`,
      headers: () => ({ 'x-ms-copy-action': 'abort' }),
    });
    expect(actual).toEqual({ status: 409, errorCode: 'CopyIdMismatch' });
    expect(azure).toEqual({ status: 412, errorCode: 'LeaseIdMissing' });
    expect(model).toBeUndefined();
  });

  it("AZ-14: an Azurite started without --skipApiVersionCheck rejects the SDK's x-ms-version with 400 InvalidHeaderValue; Azure accepts it", async () => {
    const strict = await startAzurite({ skipApiVersionCheck: false });
    try {
      const blob = BlobServiceClient.fromConnectionString(strict.connectionString)
        .getContainerClient('strict')
        .getBlockBlobClient('b.json');
      const err = (await blob.getProperties().catch((e: unknown) => e)) as {
        statusCode?: number;
        details?: { errorCode?: string };
      };
      expect(err.statusCode).toBe(400);
      expect(err.details?.errorCode).toBe('InvalidHeaderValue');
      const req: CapturedRequest = { method: 'HEAD', url: blob.url, headers: { 'x-ms-version': '2026-04-06' } };
      const state: BlobState = { exists: true, etag: '"0x1"', lastModified: new Date().toISOString() };
      const azure = evaluateConditions(req, state).expected;
      expect(azure.status).toBe(200);
      expect(azuriteExpectation(req, state, azure, { skipApiVersionCheck: false })).toMatchObject({
        status: 400,
        errorCode: 'InvalidHeaderValue',
        differenceId: 'AZ-14',
      });
    } finally {
      await strict.stop();
    }
  });
});
