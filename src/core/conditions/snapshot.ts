/**
 * A request on `?snapshot=<time>` or `?versionid=<id>` acts on that snapshot or version, which is read-only: it can
 * be read, deleted, tiered and (a version) tagged, never written or leased (learn.microsoft.com/rest/api/
 * storageservices/creating-a-snapshot-of-a-blob: "A snapshot can be read, copied, or deleted, but not modified";
 * lease-blob: a lease cannot be acquired on a snapshot; versioning-overview: "A previous version … cannot be
 * modified"). Azure answers 400; the error code is unconfirmed (Azurite: 400 InvalidOperation for a lease).
 */
import type { ConditionRule, RuleVerdict } from './rule.js';

const ON_SNAPSHOT = new Set([
  'GetBlob',
  'GetBlobProperties',
  'GetBlobMetadata',
  'GetBlobTags',
  'GetBlockList',
  'GetPageRegions',
  // Query Blob Contents takes `snapshot` (its URI parameters).
  'QueryBlobContents',
  'DeleteBlob',
  'SetBlobTier',
]);
const ON_VERSION = new Set([...ON_SNAPSHOT, 'SetBlobTags']);

/** `snapshot` or `versionid` from a request URL (names are case-insensitive). */
function pointInTime(url: string): { kind: 'snapshot' | 'version'; value: string } | undefined {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  for (const [k, v] of new URLSearchParams(query)) {
    if (v === '') continue;
    if (k.toLowerCase() === 'snapshot') return { kind: 'snapshot', value: v };
    if (k.toLowerCase() === 'versionid') return { kind: 'version', value: v };
  }
  return undefined;
}

export const snapshotRule: ConditionRule = {
  id: 'snapshot',
  doc: 'learn.microsoft.com/rest/api/storageservices/creating-a-snapshot-of-a-blob; …/lease-blob; learn.microsoft.com/azure/storage/blobs/versioning-overview',
  check(ctx): RuleVerdict | undefined {
    const at = pointInTime(ctx.req.url);
    if (!at || ctx.operation.target !== 'blob') return undefined;
    const allowed = at.kind === 'snapshot' ? ON_SNAPSHOT : ON_VERSION;
    if (allowed.has(ctx.operation.name)) return undefined;
    const lease = ctx.operation.kind === 'lease';
    return {
      family: 'request',
      header: at.kind === 'snapshot' ? 'snapshot' : 'versionid',
      supplied: at.value,
      current: `a ${at.kind} (read-only)`,
      holds: false,
      final: true,
      explanation: `${ctx.operation.name} cannot act on a ${at.kind}: ${at.kind === 'snapshot' ? 'snapshots' : 'previous versions'} can be read, deleted or tiered, never modified${lease ? ' or leased' : ''}`,
      failure: {
        status: 400,
        errorCode: lease ? 'InvalidOperation' : 'InvalidQueryParameterValue',
        cause: lease ? 'lease-state-conflict' : 'snapshot-read-only',
        title: `${ctx.operation.name} on a ${at.kind}: ${at.kind === 'snapshot' ? 'snapshots' : 'versions'} are read-only`,
        fix: [
          `Send the write to the base blob (drop ?${at.kind === 'snapshot' ? 'snapshot' : 'versionid'}=); to bring a ${at.kind} back, copy it over the base blob.`,
        ],
      },
      notes: [`Azure refuses this with 400; the error code is unconfirmed`],
    };
  },
};
