/**
 * A copy whose source does not exist, whatever the destination's conditions: Copy Blob (asynchronous) answers 404
 * BlobNotFound (Azure/azure-sdk-for-net sdk/storage/Azure.Storage.Blobs/tests/BlobBaseClientTests.cs
 * `StartCopyFromUriAsync_Error`, recorded against live Azure), Copy Blob From URL 404 CannotVerifyCopySource (the
 * same file's `SyncCopyFromUriAsync_Error`; the error table's "The specified blob does not exist"); Put Blob From
 * URL is taken to answer as Copy Blob From URL (unconfirmed). Azurite checks the source before anything else,
 * even a 400 (docs/azurite-differences.md AZ-23).
 */
import type { ConditionRule } from './rule.js';

const COPIES = new Set(['CopyBlob', 'CopyBlobFromURL', 'PutBlobFromURL']);

export const sourceExistenceRule: ConditionRule = {
  id: 'source-existence',
  doc: 'learn.microsoft.com/rest/api/storageservices/copy-blob; learn.microsoft.com/rest/api/storageservices/blob-service-error-codes',
  check(ctx) {
    const source = ctx.state.source;
    if (!COPIES.has(ctx.operation.name) || source === undefined || source.exists) return undefined;
    return {
      family: 'existence',
      header: 'x-ms-copy-source',
      supplied: ctx.headers['x-ms-copy-source'] ?? '(not recorded)',
      current: 'does not exist',
      holds: false,
      final: true,
      explanation: 'the copy source does not exist, so Azure cannot start the copy',
      failure: {
        status: 404,
        errorCode: ctx.operation.name === 'CopyBlob' ? 'BlobNotFound' : 'CannotVerifyCopySource',
        cause: 'blob-not-found',
        title: 'The copy source does not exist',
      },
      ...(ctx.operation.name === 'PutBlobFromURL'
        ? { notes: ['that Put Blob From URL answers CannotVerifyCopySource for a missing source is unconfirmed'] }
        : {}),
    };
  },
};
