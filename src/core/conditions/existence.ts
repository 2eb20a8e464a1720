/**
 * Existence before conditions: a read of a missing blob answers 404 BlobNotFound even with If-Match
 * (Azure/Azurite#2751, apache/opendal#8177). Create operations go on: their
 * If-Match fails with 412 instead (Azure/Azurite#2589).
 * Azurite checks conditions first and answers 412 here (docs/azurite-differences.md AZ-1).
 */
import type { ConditionRule, RuleVerdict } from './rule.js';

const CREATES_UNCOMMITTED = new Set(['PutBlock', 'PutBlockFromURL']);

export const existenceRule: ConditionRule = {
  id: 'existence',
  doc: 'github.com/Azure/Azurite/issues/2751 (live Azure: HEAD/GET + If-Match on a missing blob → 404)',
  check(ctx) {
    const { operation: op, state } = ctx;
    if (op.target === 'blob' && state.containerExists === false) return containerMissing(op.name);
    if (state.exists || op.creates || CREATES_UNCOMMITTED.has(op.name)) return undefined;
    // A soft-deleted blob reads as missing: whether there is one to undelete is not in what cnm reads.
    if (op.name === 'UndeleteBlob')
      return {
        family: 'existence',
        header: 'existence',
        supplied: 'UndeleteBlob needs a soft-deleted blob',
        current: 'not found (a soft-deleted blob reads as missing)',
        holds: null,
        explanation: 'cnm cannot see soft-deleted blobs: if there is none, Azure answers 404 BlobNotFound',
      };
    const container = op.target === 'container';
    const errorCode = container ? 'ContainerNotFound' : 'BlobNotFound';
    const verdict: RuleVerdict = {
      family: 'existence',
      header: 'existence',
      supplied: `${op.name} needs an existing ${op.target}`,
      current: 'does not exist',
      holds: false,
      final: true,
      explanation: `the ${op.target} does not exist, so Azure answers 404 ${errorCode} before evaluating any condition`,
      failure: { status: 404, errorCode, cause: 'blob-not-found' },
    };
    if (op.kind === 'write' && (ctx.headers['if-match'] || ctx.headers['x-ms-lease-id'])) {
      verdict.notes = [
        `for ${op.name} with If-Match or a lease id on a missing ${op.target}, Azure may answer 412 instead of 404 (unconfirmed)`,
      ];
    }
    return verdict;
  },
};

/** No container, no blob: even a create answers 404 ContainerNotFound (Blob service error codes). */
function containerMissing(operation: string): RuleVerdict {
  return {
    family: 'existence',
    header: 'existence',
    supplied: `${operation} needs the blob's container`,
    current: 'container does not exist',
    holds: false,
    final: true,
    explanation:
      'the container does not exist, so Azure answers 404 ContainerNotFound before evaluating any condition, even for a create',
    failure: { status: 404, errorCode: 'ContainerNotFound', cause: 'blob-not-found' },
  };
}
