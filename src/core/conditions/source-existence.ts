/**
 * A copy whose source does not exist: 404 CannotVerifyCopySource ("The specified blob does not exist"), whatever
 * the destination's conditions (Copy Blob doc, error table; the code for a same-account source is unconfirmed by
 * a trace). Azurite answers 404 BlobNotFound, before any condition (docs/azurite-differences.md AZ-23).
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
        errorCode: 'CannotVerifyCopySource',
        cause: 'blob-not-found',
        title: 'The copy source does not exist',
      },
      notes: [
        'that Azure answers CannotVerifyCopySource (not BlobNotFound) for a missing source in the same account is unconfirmed',
      ],
    };
  },
};
