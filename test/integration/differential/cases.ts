/**
 * fast-check arbitraries for the differential test: a blob state to build in Azurite and a conditional
 * operation to send against it. Choices are symbolic ("current ETag", "one second after Last-Modified") and
 * are resolved against the state actually read back from Azurite (scenario.ts).
 */
import fc from 'fast-check';
import type { BlobType } from '../../../src/core/types.js';

export type LeaseSpec = 'available' | 'fixed' | 'infinite' | 'breaking' | 'broken' | 'expired';

export interface BlobSpec {
  exists: boolean;
  type: BlobType;
  lease: LeaseSpec;
  tags: Record<string, string>;
  /** Page blobs: x-ms-blob-sequence-number after setup. */
  sequenceNumber: number;
  /** Append blobs: the blocks appended during setup. */
  appends: number[];
}

const OPERATIONS = [
  'GetBlob',
  'GetBlobProperties',
  'PutBlob',
  'PutBlockList',
  'SetBlobMetadata',
  'SetBlobProperties',
  'DeleteBlob',
  'SnapshotBlob',
  'CopyBlob',
  'AppendBlock',
  'PutPage',
  'SetBlobTags',
  'LeaseBlob',
] as const;
/** Operations on the container itself: each case gets a container of its own. */
const CONTAINER_OPERATIONS = [
  'LeaseContainer',
  'DeleteContainer',
  'SetContainerMetadata',
  'GetContainerProperties',
  'SetContainerACL',
] as const;
type BlobOperationName = (typeof OPERATIONS)[number];
export type ContainerOperationName = (typeof CONTAINER_OPERATIONS)[number];
export type OperationName = BlobOperationName | ContainerOperationName;

export const isContainerOperation = (name: OperationName): name is ContainerOperationName =>
  (CONTAINER_OPERATIONS as readonly string[]).includes(name);

/**
 * A Lease Blob / Lease Container request. `right` is the id the setup acquired (a fresh GUID when there is none),
 * `wrong` another GUID; acquire sends `id` as x-ms-proposed-lease-id, change sends `proposed` as it.
 */
export interface LeaseActionSpec {
  action: 'acquire' | 'renew' | 'change' | 'release' | 'break';
  id: 'right' | 'wrong' | 'none';
  proposed: 'right' | 'wrong';
  duration: number;
  breakPeriod?: number;
}

export type EtagChoice = 'current' | 'stale' | '*' | 'list-with-current' | 'list-of-stale' | 'unquoted' | 'weak';
export type DateChoice = 'hour-before' | 'second-before' | 'equal' | 'second-after' | 'hour-after';
export type TagsChoice = 'env-is-prod' | 'env-is-not-prod' | 'dev-or-n-above-3' | 'n-at-least-5-and-dev';

export interface Conditions {
  ifMatch?: EtagChoice;
  ifNoneMatch?: 'current' | 'stale' | '*';
  ifModifiedSince?: DateChoice;
  ifUnmodifiedSince?: DateChoice;
  tags?: TagsChoice;
}

export interface OperationSpec {
  name: OperationName;
  conditions: Conditions;
  leaseId?: 'right' | 'wrong';
  /** Copy Blob: the source blob and its x-ms-source-if-* conditions. */
  source?: { blob: BlobSpec; conditions: Conditions };
  /** Append Block: the block's length and the two append conditions, relative to the current length. */
  append?: { length: number; position?: -1 | 0 | 1; maxSize?: 'fits' | 'exact' | 'over' | 'already-over' };
  /** Put Page: one sequence-number condition relative to the current sequence number. */
  sequence?: { kind: 'le' | 'lt' | 'eq'; delta: -1 | 0 | 1 };
  /** Lease Blob / Lease Container. */
  leaseAction?: LeaseActionSpec;
}

export interface Case {
  blob: BlobSpec;
  op: OperationSpec;
}

/** Present about one time in four, so most requests carry zero or one of the four HTTP conditions. */
const sometimes = <T>(arb: fc.Arbitrary<T>, weight = 1): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight });

const etag = fc.constantFrom<EtagChoice>(
  'current',
  'current',
  'stale',
  'stale',
  '*',
  'list-with-current',
  'list-of-stale',
  'unquoted',
  'weak',
);
const date = fc.constantFrom<DateChoice>('hour-before', 'second-before', 'equal', 'second-after', 'hour-after');
const tagsChoice = fc.constantFrom<TagsChoice>(
  'env-is-prod',
  'env-is-not-prod',
  'dev-or-n-above-3',
  'n-at-least-5-and-dev',
);

const conditionsArb: fc.Arbitrary<Conditions> = fc
  .record({
    ifMatch: sometimes(etag),
    ifNoneMatch: sometimes(fc.constantFrom<'current' | 'stale' | '*'>('current', 'stale', '*')),
    ifModifiedSince: sometimes(date),
    ifUnmodifiedSince: sometimes(date),
    tags: sometimes(tagsChoice),
  })
  .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Conditions);

/** Lease Container, Delete Container and Set Container ACL take only the two date conditions, Set Container Metadata only If-Modified-Since. */
function containerConditionsArb(name: ContainerOperationName): fc.Arbitrary<Conditions> {
  if (name === 'GetContainerProperties') return fc.constant({});
  return fc
    .record({
      ifModifiedSince: sometimes(date),
      ifUnmodifiedSince: name === 'SetContainerMetadata' ? fc.constant(undefined) : sometimes(date),
    })
    .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Conditions);
}

const leaseActionArb: fc.Arbitrary<LeaseActionSpec> = fc
  .constantFrom(...(['acquire', 'renew', 'change', 'release', 'break'] as const))
  .chain((action) =>
    fc
      .record({
        action: fc.constant(action),
        id:
          action === 'acquire'
            ? fc.constantFrom<'right' | 'wrong' | 'none'>('right', 'wrong', 'none')
            : action === 'break'
              ? fc.constant<'none'>('none')
              : fc.constantFrom<'right' | 'wrong'>('right', 'right', 'wrong'),
        proposed: fc.constantFrom<'right' | 'wrong'>('right', 'wrong', 'wrong'),
        // Mostly valid durations; 10 and 61 are out of range (400).
        duration: fc.constantFrom(-1, -1, 15, 30, 60, 10, 61),
        breakPeriod: sometimes(fc.constantFrom(0, 0, 1, 30, 60, 61), 2),
      })
      .map(
        (l) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined)) as unknown as LeaseActionSpec,
      ),
  );

const TAG_SETS: Record<string, string>[] = [{}, { env: 'prod' }, { env: 'dev', n: '5' }, { env: 'dev', n: '2' }];

function blobArb(type: fc.Arbitrary<BlobType>, leases: LeaseSpec[]): fc.Arbitrary<BlobSpec> {
  return fc.record({
    exists: fc.oneof({ arbitrary: fc.constant(true), weight: 5 }, { arbitrary: fc.constant(false), weight: 1 }),
    type,
    lease: fc.constantFrom(...leases),
    tags: fc.constantFrom(...TAG_SETS),
    sequenceNumber: fc.integer({ min: 0, max: 5 }),
    appends: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }),
  });
}

/** The blob type each operation can act on without a type error (a type mismatch is not a condition question). */
function typesFor(name: OperationName): BlobType[] {
  if (isContainerOperation(name)) return ['BlockBlob'];
  if (name === 'AppendBlock') return ['AppendBlob'];
  if (name === 'PutPage') return ['PageBlob'];
  if (name === 'PutBlockList') return ['BlockBlob'];
  return ['BlockBlob', 'AppendBlob', 'PageBlob'];
}

const LIVE_LEASES: LeaseSpec[] = ['available', 'available', 'fixed', 'infinite', 'breaking', 'broken'];

/** Every operation the differential test sends, blob and container. */
const ALL_OPERATIONS: readonly OperationName[] = [...OPERATIONS, ...CONTAINER_OPERATIONS];

export function caseArb(
  leases: LeaseSpec[] = LIVE_LEASES,
  names: readonly OperationName[] = ALL_OPERATIONS,
): fc.Arbitrary<Case> {
  return fc.constantFrom(...names).chain((name) =>
    fc.record({
      blob: blobArb(fc.constantFrom(...typesFor(name)), leases),
      op: fc
        .record({
          name: fc.constant(name),
          conditions: isContainerOperation(name) ? containerConditionsArb(name) : conditionsArb,
          leaseId:
            name === 'LeaseBlob' || name === 'LeaseContainer'
              ? fc.constant(undefined)
              : sometimes(fc.constantFrom<'right' | 'wrong'>('right', 'wrong'), 2),
          source:
            name === 'CopyBlob'
              ? fc.record({
                  blob: blobArb(fc.constant<BlobType>('BlockBlob'), ['available']),
                  conditions: conditionsArb,
                })
              : fc.constant(undefined),
          append:
            name === 'AppendBlock'
              ? fc.record({
                  length: fc.integer({ min: 1, max: 6 }),
                  position: sometimes(fc.constantFrom<-1 | 0 | 1>(-1, 0, 0, 1), 2),
                  maxSize: sometimes(
                    fc.constantFrom<'fits' | 'exact' | 'over' | 'already-over'>(
                      'fits',
                      'exact',
                      'over',
                      'already-over',
                    ),
                    2,
                  ),
                })
              : fc.constant(undefined),
          leaseAction: name === 'LeaseBlob' || name === 'LeaseContainer' ? leaseActionArb : fc.constant(undefined),
          sequence:
            name === 'PutPage'
              ? sometimes(
                  fc.record({
                    kind: fc.constantFrom<'le' | 'lt' | 'eq'>('le', 'lt', 'eq'),
                    delta: fc.constantFrom<-1 | 0 | 1>(-1, 0, 1),
                  }),
                  3,
                )
              : fc.constant(undefined),
        })
        .map(
          (op) => Object.fromEntries(Object.entries(op).filter(([, v]) => v !== undefined)) as unknown as OperationSpec,
        ),
    }),
  );
}
