/**
 * What each lease action answers in each lease state: the tables "Outcomes of lease operations on blobs by lease
 * state" of learn.microsoft.com/rest/api/storageservices/lease-blob and "Outcomes of lease operations on containers
 * by lease state" of learn.microsoft.com/rest/api/storageservices/lease-container. The pages give "409" for every
 * refused cell; the error code of each cell is the one Azure/azure-storage-net's LeaseTests.cs (Blob*LeaseStateTests
 * and Container*LeaseStateTests, run against live Azure) expects, which Azurite's src/blob/lease/Lease*State.ts
 * produce too. Cells no test covers carry `unconfirmed`. Pure data.
 */
import type { LeaseState } from '../types.js';

export type LeaseAction = 'acquire' | 'renew' | 'change' | 'release' | 'break';

/**
 * `same`: the id the action names (renew/release/change: x-ms-lease-id; acquire: x-ms-proposed-lease-id) is the
 * lease's id — for an expired, broken or breaking lease, the id it had. `other`: any other id, or none.
 */
export type IdRelation = 'same' | 'other';

/** `ok`, or the 409 code Azure answers. */
export type LeaseOutcome = 'ok' | LeaseConflictCode;

export type LeaseConflictCode =
  | 'LeaseAlreadyPresent'
  | 'LeaseIsBreakingAndCannotBeAcquired'
  | 'LeaseIdMismatchWithLeaseOperation'
  | 'LeaseIsBrokenAndCannotBeRenewed'
  | 'LeaseIsBreakingAndCannotBeChanged'
  | 'LeaseNotPresentWithLeaseOperation';

export interface LeaseCell {
  same: LeaseOutcome;
  other: LeaseOutcome;
  /** The error code is from Azurite and the page's "409", not from a test run against Azure. */
  unconfirmed?: boolean;
  /** What this cell depends on besides the id. */
  note?: string;
}

const both = (outcome: LeaseOutcome, extra: Partial<LeaseCell> = {}): LeaseCell => ({
  same: outcome,
  other: outcome,
  ...extra,
});
const MISMATCH = 'LeaseIdMismatchWithLeaseOperation';
const NOT_PRESENT = 'LeaseNotPresentWithLeaseOperation';

const EXPIRED_RENEW =
  'an expired lease renews only while nobody wrote or leased the blob since it expired; a write makes the lease ' +
  "state available (and the renew answers 409 LeaseIdMismatchWithLeaseOperation), so a read state of 'expired' " +
  'means the renew succeeds';

/**
 * Blob and container leases share the table (the two pages list the same outcomes). Acquire with no proposed id
 * is `other`: the service makes up a new id.
 */
export const LEASE_TABLE: Record<LeaseAction, Record<LeaseState, LeaseCell>> = {
  acquire: {
    available: both('ok'),
    leased: { same: 'ok', other: 'LeaseAlreadyPresent', note: 'the same proposed id re-acquires: a new duration' },
    breaking: { same: 'LeaseIsBreakingAndCannotBeAcquired', other: 'LeaseAlreadyPresent' },
    broken: both('ok'),
    expired: both('ok'),
  },
  renew: {
    available: both(MISMATCH),
    leased: { same: 'ok', other: MISMATCH },
    breaking: { same: 'LeaseIsBrokenAndCannotBeRenewed', other: MISMATCH },
    broken: { same: 'LeaseIsBrokenAndCannotBeRenewed', other: MISMATCH },
    expired: { same: 'ok', other: MISMATCH, note: EXPIRED_RENEW },
  },
  change: {
    available: both(NOT_PRESENT),
    leased: { same: 'ok', other: MISMATCH, note: 'x-ms-proposed-lease-id equal to the current id also succeeds' },
    breaking: { same: 'LeaseIsBreakingAndCannotBeChanged', other: MISMATCH },
    broken: both(NOT_PRESENT),
    expired: both(NOT_PRESENT, { unconfirmed: true }),
  },
  release: {
    available: both(MISMATCH),
    leased: { same: 'ok', other: MISMATCH },
    breaking: { same: 'ok', other: MISMATCH },
    broken: { same: 'ok', other: MISMATCH },
    expired: { same: 'ok', other: MISMATCH, unconfirmed: true },
  },
  break: {
    available: both(NOT_PRESENT),
    leased: both('ok'),
    breaking: both('ok'),
    broken: both('ok'),
    expired: both('ok', { unconfirmed: true }),
  },
};

/** The lease step that went wrong, and what to do instead: shown first in a lease-state-conflict fix. */
export const CONFLICT_FIX: Record<LeaseConflictCode, { title: string; fix: string }> = {
  LeaseAlreadyPresent: {
    title: 'Acquire while another lease is active',
    fix:
      'Someone else holds the lease: wait for its holder to release it (retry the acquire with backoff), or break ' +
      'it deliberately only if the holder is known to be gone.',
  },
  LeaseIsBreakingAndCannotBeAcquired: {
    title: 'Acquire of your own lease while it is being broken',
    fix: 'The lease is being broken: wait for the break period to end (the lease becomes broken), then acquire again.',
  },
  LeaseIdMismatchWithLeaseOperation: {
    title: 'The lease id is not the lease this action can act on',
    fix:
      'The lease you name is gone or not yours (released, changed, re-acquired by someone else, or expired and the ' +
      'blob written): acquire a new lease, then re-read the blob before writing it.',
  },
  LeaseIsBrokenAndCannotBeRenewed: {
    title: 'Renew of a lease that was broken',
    fix: 'A broken (or breaking) lease cannot be renewed: acquire a new lease and re-read the blob before writing.',
  },
  LeaseIsBreakingAndCannotBeChanged: {
    title: 'Change of a lease that is being broken',
    fix: 'A breaking lease cannot be changed: wait until it is broken, then acquire with the id you wanted.',
  },
  LeaseNotPresentWithLeaseOperation: {
    title: 'Change or break with no active lease',
    fix: 'There is no lease to change or break: acquire one first (x-ms-proposed-lease-id sets the id you want).',
  },
};
