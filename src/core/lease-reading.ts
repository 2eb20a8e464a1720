/**
 * One line that tells a writer what the lease means for its next write (Lease Blob doc, "Write/read
 * attempts by lease state": learn.microsoft.com/rest/api/storageservices/lease-blob). Pure.
 */
import type { LeaseInfo } from './types.js';

export function describeLease(lease: LeaseInfo | undefined, target: 'blob' | 'container' = 'blob'): string {
  if (!lease) return 'unknown: the service reported no lease state';
  const writes = target === 'blob' ? 'every write' : 'Delete Container';
  switch (lease.state) {
    case 'available':
      return (
        `not leased: ${writes} goes through without x-ms-lease-id; sending one fails 412 ` +
        `LeaseNotPresentWith${target === 'blob' ? 'Blob' : 'Container'}Operation`
      );
    case 'leased':
      return lease.duration === 'infinite'
        ? `leased, infinite: ${writes} must send x-ms-lease-id; nothing frees it but a release or a break`
        : `leased, fixed (15–60 s): ${writes} must send x-ms-lease-id; it expires unless renewed, and Azure reports no expiry time`;
    case 'breaking':
      return `breaking: ${writes} still needs the old x-ms-lease-id until the break period ends; the lease can't be renewed or changed`;
    case 'broken':
      return `broken: ${writes} without a lease id succeeds; the old lease id now fails 412 (LeaseNotPresent/LeaseLost)`;
    case 'expired':
      return (
        `expired: ${writes} without a lease id succeeds; the old id fails 412, though it can still be ` +
        `renewed while the ${target} is unchanged`
      );
    default:
      return `lease state "${String(lease.state)}"`;
  }
}
