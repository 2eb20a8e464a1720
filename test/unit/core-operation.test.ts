import { describe, expect, it } from 'vitest';
import { classifyOperation, successStatus } from '../../src/core/operation.js';

const AZ = 'https://acct.blob.core.windows.net/c/dir/b.json';
const EMU = 'http://127.0.0.1:10000/devstoreaccount1/c/dir/b.json';

function op(method: string, url: string, headers: Record<string, string> = {}) {
  return classifyOperation({ method, url, headers });
}

describe('classifyOperation', () => {
  it('reads a comp or lease action that is also an object key (`constructor`, `__proto__`) as an unknown one', () => {
    for (const comp of ['constructor', '__proto__']) {
      expect(op('GET', `${AZ}?comp=${comp}`).name).toBe('Unknown');
      expect(op('PUT', `${AZ}?comp=${comp}`).name).toBe('Unknown');
      expect(op('GET', `https://acct.blob.core.windows.net/c?restype=container&comp=${comp}`).name).toBe('Unknown');
      expect(op('PUT', `${AZ}?comp=lease`, { 'x-ms-lease-action': comp }).name).toBe('LeaseBlob');
    }
  });

  it.each([
    ['GET', '', {}, 'GetBlob', 'read', false],
    ['HEAD', '', {}, 'GetBlobProperties', 'read', false],
    ['GET', '?comp=metadata', {}, 'GetBlobMetadata', 'read', false],
    ['GET', '?comp=tags', {}, 'GetBlobTags', 'read', false],
    ['PUT', '', { 'x-ms-blob-type': 'BlockBlob' }, 'PutBlob', 'write', true],
    ['PUT', '?comp=block&blockid=AAAA', {}, 'PutBlock', 'write', false],
    ['PUT', '?comp=blocklist', {}, 'PutBlockList', 'write', true],
    ['PUT', '?comp=properties', {}, 'SetBlobProperties', 'write', false],
    ['PUT', '?comp=metadata', {}, 'SetBlobMetadata', 'write', false],
    ['PUT', '?comp=tags', {}, 'SetBlobTags', 'write', false],
    ['DELETE', '', {}, 'DeleteBlob', 'write', false],
    ['PUT', '?comp=snapshot', {}, 'SnapshotBlob', 'write', false],
    ['PUT', '', { 'x-ms-copy-source': 'https://a/b' }, 'CopyBlob', 'write', true],
    ['PUT', '', { 'x-ms-copy-source': 'https://a/b', 'x-ms-requires-sync': 'true' }, 'CopyBlobFromURL', 'write', true],
    ['PUT', '', { 'x-ms-copy-source': 'https://a/b', 'x-ms-blob-type': 'BlockBlob' }, 'PutBlobFromURL', 'write', true],
    ['PUT', '?comp=appendblock', {}, 'AppendBlock', 'write', false],
    ['PUT', '?comp=page', { 'x-ms-page-write': 'update' }, 'PutPage', 'write', false],
    ['PUT', '?comp=page', { 'x-ms-page-write': 'clear' }, 'ClearPage', 'write', false],
    ['PUT', '?comp=lease', { 'x-ms-lease-action': 'acquire' }, 'AcquireBlobLease', 'lease', false],
    ['PUT', '?comp=lease', { 'x-ms-lease-action': 'renew' }, 'RenewBlobLease', 'lease', false],
    ['PUT', '?comp=lease', { 'x-ms-lease-action': 'change' }, 'ChangeBlobLease', 'lease', false],
    ['PUT', '?comp=lease', { 'x-ms-lease-action': 'release' }, 'ReleaseBlobLease', 'lease', false],
    ['PUT', '?comp=lease', { 'x-ms-lease-action': 'break' }, 'BreakBlobLease', 'lease', false],
    ['POST', '', {}, 'Unknown', 'write', false],
  ] as const)(
    '%s blob%s %j → %s (%s, creates=%s), host-style and path-style alike',
    (method, query, headers, name, kind, creates) => {
      for (const base of [AZ, EMU]) {
        expect(op(method, base + query, { ...headers })).toEqual({ name, target: 'blob', kind, creates });
      }
    },
  );

  it.each([
    ['PUT', '?restype=container', {}, 'CreateContainer', true],
    ['GET', '?restype=container', {}, 'GetContainerProperties', false],
    ['DELETE', '?restype=container', {}, 'DeleteContainer', false],
    ['PUT', '?restype=container&comp=metadata', {}, 'SetContainerMetadata', false],
    ['PUT', '?restype=container&comp=acl', {}, 'SetContainerACL', false],
    ['PUT', '?restype=container&comp=lease', { 'x-ms-lease-action': 'acquire' }, 'AcquireContainerLease', false],
    ['PUT', '?restype=container&comp=lease', { 'x-ms-lease-action': 'break' }, 'BreakContainerLease', false],
  ] as const)('%s container%s → %s', (method, query, headers, name, creates) => {
    for (const base of ['https://acct.blob.core.windows.net/c', 'http://127.0.0.1:10000/devstoreaccount1/c']) {
      const got = op(method, base + query, { ...headers });
      expect(got.name).toBe(name);
      expect(got.target).toBe('container');
      expect(got.creates).toBe(creates);
    }
  });

  it('a relative emulator path classifies like the full URL', () => {
    expect(op('PUT', '/devstoreaccount1/c/b?comp=metadata').name).toBe('SetBlobMetadata');
  });

  it('header names are case-insensitive', () => {
    expect(op('PUT', `${AZ}?comp=lease`, { 'X-MS-Lease-Action': 'Release' }).name).toBe('ReleaseBlobLease');
  });

  it.each([
    ['PutBlob', 201],
    ['AcquireBlobLease', 201],
    ['SnapshotBlob', 201],
    ['AppendBlock', 201],
    ['DeleteBlob', 202],
    ['CopyBlob', 202],
    ['BreakBlobLease', 202],
    ['SetBlobMetadata', 200],
    ['GetBlob', 200],
  ])('success status of %s is %i', (name, status) => {
    expect(successStatus({ name, target: 'blob', kind: 'write', creates: false })).toBe(status);
  });
});
