/**
 * Builds a case's blob in Azurite with the SDK, reads its state back (Get Blob Properties + Get Blob Tags, plus
 * the lease id the test holds), turns the symbolic operation into a raw request, and asks the engine what
 * Azure would answer and what Azurite answers instead (docs/azurite-differences.md).
 */
import { randomUUID } from 'node:crypto';
import { RestError, type BlobClient, type BlobLeaseClient, type ContainerClient } from '@azure/storage-blob';
import { azuriteExpectation } from '../../../src/core/azurite-differences.js';
import { evaluateConditions } from '../../../src/core/evaluate.js';
import type { BlobState, CapturedRequest } from '../../../src/core/types.js';
import { tagsOf } from '../../../src/azure/read-blob-state.js';
import type {
  BlobSpec,
  Case,
  Conditions,
  DateChoice,
  EtagChoice,
  LeaseActionSpec,
  LeaseSpec,
  OperationSpec,
  TagsChoice,
} from './cases.js';
import { send, type Answer } from './signed-request.js';

export const STALE = '"0x8D0000000000001"';
const OTHER = '"0x8D0000000000002"';
const WRONG_LEASE = '00000000-0000-4000-8000-000000000bad';
const NEW_LEASE = '00000000-0000-4000-8000-00000000c0de';

export interface Built {
  blob: BlobClient;
  /** The id of the lease the setup acquired, if any (Azure never reports it). */
  leaseId?: string;
  /** Set for a container case: the requests and the state are the container's. */
  container?: ContainerClient;
}

async function create(blob: BlobClient, spec: BlobSpec): Promise<void> {
  if (spec.type === 'BlockBlob') {
    await blob.getBlockBlobClient().upload('hello', 5);
  } else if (spec.type === 'AppendBlob') {
    const append = blob.getAppendBlobClient();
    await append.create();
    for (const n of spec.appends) await append.appendBlock(Buffer.alloc(n, 'a'), n);
  } else {
    await blob.getPageBlobClient().create(1024, { blobSequenceNumber: spec.sequenceNumber });
  }
  if (Object.keys(spec.tags).length > 0) await blob.setTags(spec.tags);
}

/** The setup's lease on a blob or container: `expired` is a 15 s lease left to run out. */
async function takeLease(lease: BlobLeaseClient, spec: LeaseSpec): Promise<void> {
  await lease.acquireLease(spec === 'fixed' ? 60 : spec === 'expired' ? 15 : -1);
  // A long break period keeps the lease "breaking" for the whole run; 0 breaks it at once.
  if (spec === 'breaking') await lease.breakLease(60);
  if (spec === 'broken') await lease.breakLease(0);
}

/** A container of the case's own, with its lease (the blob spec's `exists` and `lease` apply to it). */
export async function buildContainer(container: ContainerClient, spec: BlobSpec): Promise<Built> {
  const blob = container.getBlobClient('unused');
  if (!spec.exists) return { blob, container };
  await container.create();
  if (spec.lease === 'available') return { blob, container };
  const leaseId = randomUUID();
  await takeLease(container.getBlobLeaseClient(leaseId), spec.lease);
  return { blob, container, leaseId };
}

/** Creates the blob, its tags, its content and its lease. An `expired` lease is a 15 s lease left to run out. */
export async function build(container: ContainerClient, name: string, spec: BlobSpec): Promise<Built> {
  const blob = container.getBlobClient(name);
  if (!spec.exists) return { blob };
  await create(blob, spec);
  if (spec.lease === 'available') return { blob };
  const leaseId = randomUUID();
  await takeLease(blob.getBlobLeaseClient(leaseId), spec.lease);
  return { blob, leaseId };
}

/** The state as Azurite reports it now, plus the lease id the test knows. */
export async function readState({ blob, leaseId, container }: Built): Promise<BlobState> {
  if (container) return readContainerState(container, leaseId);
  let props;
  try {
    props = await blob.getProperties();
  } catch (err) {
    if (err instanceof RestError && err.statusCode === 404) return { exists: false };
    throw err;
  }
  // Read back, never taken from the setup: a blob name an earlier case left tags on keeps them across an overwrite
  // in Azurite (the setup's tags once made a copy-source case disagree, seed 2073616545).
  const tags = tagsOf(await blob.getTags());
  return {
    exists: true,
    etag: props.etag!,
    lastModified: props.lastModified!.toISOString(),
    lease: {
      state: props.leaseState!,
      status: props.leaseStatus!,
      ...(props.leaseDuration ? { duration: props.leaseDuration } : {}),
      ...(leaseId ? { id: leaseId } : {}),
    },
    blobType: props.blobType!,
    contentLength: props.contentLength!,
    ...(props.blobSequenceNumber !== undefined ? { sequenceNumber: props.blobSequenceNumber } : {}),
    tags,
  };
}

async function readContainerState(container: ContainerClient, leaseId: string | undefined): Promise<BlobState> {
  let props;
  try {
    props = await container.getProperties();
  } catch (err) {
    if (err instanceof RestError && err.statusCode === 404) return { kind: 'container', exists: false };
    throw err;
  }
  return {
    kind: 'container',
    exists: true,
    etag: props.etag!,
    lastModified: props.lastModified!.toISOString(),
    lease: {
      state: props.leaseState!,
      status: props.leaseStatus!,
      ...(props.leaseDuration ? { duration: props.leaseDuration } : {}),
      ...(leaseId ? { id: leaseId } : {}),
    },
  };
}

function etagValue(choice: EtagChoice, state: BlobState): string {
  const current = state.exists ? state.etag! : OTHER;
  switch (choice) {
    case 'current':
      return current;
    case 'stale':
      return STALE;
    case '*':
      return '*';
    case 'list-with-current':
      return `${STALE}, ${current}`;
    case 'list-of-stale':
      return `${STALE}, ${OTHER}`;
    case 'unquoted':
      return current.replace(/"/g, '');
    case 'weak':
      return `W/${current}`;
  }
}

const DATE_OFFSET: Record<DateChoice, number> = {
  'hour-before': -3600,
  'second-before': -1,
  equal: 0,
  'second-after': 1,
  'hour-after': 3600,
};

function dateValue(choice: DateChoice, state: BlobState): string {
  const base = state.exists ? Date.parse(state.lastModified!) : Math.floor(Date.now() / 1000) * 1000;
  return new Date(base + DATE_OFFSET[choice] * 1000).toUTCString();
}

const TAG_PREDICATES: Record<TagsChoice, string> = {
  'env-is-prod': `"env" = 'prod'`,
  'env-is-not-prod': `"env" <> 'prod'`,
  'dev-or-n-above-3': `"env" = 'dev' OR "n" > '3'`,
  'n-at-least-5-and-dev': `"n" >= '5' AND "env" = 'dev'`,
};

/** The four HTTP conditions and the tags predicate as headers; `prefix` is '', 'x-ms-blob-' or 'x-ms-source-'. */
function conditionHeaders(c: Conditions, state: BlobState, prefix: string): Record<string, string> {
  const h: Record<string, string> = {};
  if (c.ifMatch) h[`${prefix}if-match`] = etagValue(c.ifMatch, state);
  if (c.ifNoneMatch) h[`${prefix}if-none-match`] = c.ifNoneMatch === 'stale' ? STALE : etagValue(c.ifNoneMatch, state);
  if (c.ifModifiedSince) h[`${prefix}if-modified-since`] = dateValue(c.ifModifiedSince, state);
  if (c.ifUnmodifiedSince) h[`${prefix}if-unmodified-since`] = dateValue(c.ifUnmodifiedSince, state);
  if (c.tags) h[prefix === 'x-ms-source-' ? 'x-ms-source-if-tags' : 'x-ms-if-tags'] = TAG_PREDICATES[c.tags];
  return h;
}

const TAGS_XML =
  '<?xml version="1.0" encoding="utf-8"?><Tags><TagSet><Tag><Key>env</Key><Value>new</Value></Tag></TagSet></Tags>';
const BLOCK_LIST_XML = '<?xml version="1.0" encoding="utf-8"?><BlockList></BlockList>';

function appendHeaders(op: OperationSpec, state: BlobState): Record<string, string> {
  const h: Record<string, string> = {};
  const a = op.append!;
  const length = state.contentLength ?? 0;
  if (a.position !== undefined)
    h['x-ms-blob-condition-appendpos'] = String(length + a.position < 0 ? length + 1 : length + a.position);
  if (a.maxSize !== undefined) {
    const max = {
      fits: length + a.length + 10,
      exact: length + a.length,
      over: length + a.length - 1,
      'already-over': Math.max(0, length - 1),
    }[a.maxSize];
    h['x-ms-blob-condition-maxsize'] = String(max);
  }
  return h;
}

/** The lease headers of a Lease Blob / Lease Container request (cases.ts LeaseActionSpec). */
function leaseActionHeaders(l: LeaseActionSpec, leaseId: string | undefined): Record<string, string> {
  const right = leaseId ?? randomUUID();
  const pick = (choice: 'right' | 'wrong') => (choice === 'right' ? right : WRONG_LEASE);
  const h: Record<string, string> = { 'x-ms-lease-action': l.action };
  if (l.action === 'acquire') {
    h['x-ms-lease-duration'] = String(l.duration);
    if (l.id !== 'none') h['x-ms-proposed-lease-id'] = pick(l.id);
  } else if (l.action === 'break') {
    if (l.breakPeriod !== undefined) h['x-ms-lease-break-period'] = String(l.breakPeriod);
  } else {
    h['x-ms-lease-id'] = pick(l.id === 'none' ? 'wrong' : l.id);
    if (l.action === 'change') h['x-ms-proposed-lease-id'] = l.proposed === 'right' ? right : NEW_LEASE;
  }
  return h;
}

const EMPTY_ACL = '<?xml version="1.0" encoding="utf-8"?><SignedIdentifiers></SignedIdentifiers>';

/** What the operation sends: method, query, operation headers and body. */
function shape(
  op: OperationSpec,
  state: BlobState,
  sourceUrl: string | undefined,
  leaseId: string | undefined,
): { method: string; query: string; headers: Record<string, string>; body: Buffer } {
  const none = Buffer.alloc(0);
  switch (op.name) {
    case 'LeaseBlob':
      return { method: 'PUT', query: '?comp=lease', headers: leaseActionHeaders(op.leaseAction!, leaseId), body: none };
    case 'LeaseContainer':
      return {
        method: 'PUT',
        query: '?restype=container&comp=lease',
        headers: leaseActionHeaders(op.leaseAction!, leaseId),
        body: none,
      };
    case 'DeleteContainer':
      return { method: 'DELETE', query: '?restype=container', headers: {}, body: none };
    case 'SetContainerMetadata':
      return {
        method: 'PUT',
        query: '?restype=container&comp=metadata',
        headers: { 'x-ms-meta-owner': 'differential' },
        body: none,
      };
    case 'GetContainerProperties':
      return { method: 'HEAD', query: '?restype=container', headers: {}, body: none };
    case 'SetContainerACL':
      return {
        method: 'PUT',
        query: '?restype=container&comp=acl',
        headers: { 'content-type': 'application/xml' },
        body: Buffer.from(EMPTY_ACL),
      };
    case 'GetBlob':
      return { method: 'GET', query: '', headers: {}, body: none };
    case 'GetBlobProperties':
      return { method: 'HEAD', query: '', headers: {}, body: none };
    case 'PutBlob':
      return { method: 'PUT', query: '', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: Buffer.from('world') };
    case 'PutBlockList':
      return {
        method: 'PUT',
        query: '?comp=blocklist',
        headers: { 'content-type': 'application/xml' },
        body: Buffer.from(BLOCK_LIST_XML),
      };
    case 'SetBlobMetadata':
      return { method: 'PUT', query: '?comp=metadata', headers: { 'x-ms-meta-owner': 'differential' }, body: none };
    case 'SetBlobProperties':
      return {
        method: 'PUT',
        query: '?comp=properties',
        headers: { 'x-ms-blob-content-type': 'text/plain' },
        body: none,
      };
    case 'DeleteBlob':
      return { method: 'DELETE', query: '', headers: {}, body: none };
    case 'SnapshotBlob':
      return { method: 'PUT', query: '?comp=snapshot', headers: {}, body: none };
    case 'CopyBlob':
      return { method: 'PUT', query: '', headers: { 'x-ms-copy-source': sourceUrl! }, body: none };
    case 'AppendBlock':
      return {
        method: 'PUT',
        query: '?comp=appendblock',
        headers: appendHeaders(op, state),
        body: Buffer.alloc(op.append!.length, 'b'),
      };
    case 'PutPage': {
      const headers: Record<string, string> = { 'x-ms-page-write': 'update', 'x-ms-range': 'bytes=0-511' };
      if (op.sequence)
        headers[`x-ms-if-sequence-number-${op.sequence.kind}`] = String(
          Math.max(0, (state.sequenceNumber ?? 0) + op.sequence.delta),
        );
      return { method: 'PUT', query: '?comp=page', headers, body: Buffer.alloc(512, 'p') };
    }
    case 'SetBlobTags':
      return {
        method: 'PUT',
        query: '?comp=tags',
        headers: { 'content-type': 'application/xml' },
        body: Buffer.from(TAGS_XML),
      };
  }
}

export interface Outcome {
  req: CapturedRequest;
  state: BlobState;
  actual: Answer;
  azure: Answer;
  expected: Answer;
  differenceId?: string;
}

export interface Target {
  built: Built;
  source?: { built: Built; url: string };
}

/** Reads the state, sends the operation, and compares Azurite's answer with the engine's. */
export async function run(c: Case, target: Target): Promise<Outcome> {
  const state = await readState(target.built);
  if (target.source) state.source = await readState(target.source.built);
  const { method, query, headers, body } = shape(c.op, state, target.source?.url, target.built.leaseId);
  // Set/Get Blob Tags take the blob-scoped x-ms-blob-if-* variants (the SDK's generated
  // sdk/storage/storage-blob/src/generated/src/models/parameters.ts in Azure/azure-sdk-for-js).
  Object.assign(headers, conditionHeaders(c.op.conditions, state, c.op.name === 'SetBlobTags' ? 'x-ms-blob-' : ''));
  if (c.op.source && state.source)
    Object.assign(headers, conditionHeaders(c.op.source.conditions, state.source, 'x-ms-source-'));
  if (c.op.leaseId)
    headers['x-ms-lease-id'] = c.op.leaseId === 'right' ? (target.built.leaseId ?? randomUUID()) : WRONG_LEASE;
  if (body.length > 0) headers['content-length'] = String(body.length);
  const base = target.built.container?.url ?? target.built.blob.url;
  const req: CapturedRequest = { method, url: base + query, headers };
  const actual = await send(req, body);
  const azure = evaluateConditions(req, state).expected;
  const model = azuriteExpectation(req, state, azure);
  const expected = model ? { status: model.status, ...(model.errorCode ? { errorCode: model.errorCode } : {}) } : azure;
  return { req, state, actual, azure, expected, ...(model ? { differenceId: model.differenceId } : {}) };
}

export function agrees(o: Outcome): boolean {
  return (
    o.differenceId !== 'unexplained' &&
    o.actual.status === o.expected.status &&
    (o.actual.errorCode ?? '') === (o.expected.errorCode ?? '')
  );
}

export function describe(c: Case, o: Outcome): string {
  const { 'x-ms-copy-source': _src, ...headers } = o.req.headers;
  return [
    `${c.op.name} ${o.req.method} ${o.req.url.replace(/^.*\/devstoreaccount1/, '')}`,
    `  headers: ${JSON.stringify(headers)}`,
    `  state:   ${JSON.stringify({ ...o.state, source: undefined })}`,
    ...(o.state.source ? [`  source:  ${JSON.stringify(o.state.source)}`] : []),
    `  Azurite: ${o.actual.status} ${o.actual.errorCode ?? ''}`,
    `  engine:  Azure ${o.azure.status} ${o.azure.errorCode ?? ''}; model ${o.expected.status} ${o.expected.errorCode ?? ''}${o.differenceId ? ` (${o.differenceId})` : ''}`,
  ].join('\n');
}
