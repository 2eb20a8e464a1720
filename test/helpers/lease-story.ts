/**
 * A lease story for the diagnose page's lease timeline and origin section, in the shape SPEC-visible keys give
 * them (`leases[] {time, action, leaseId?, duration?, caller, status}`, `origin {kind, by?, confidence, evidence[]}`):
 * held and run out, held and broken, held and released, held past the window, and one acquire refused.
 */
import type { LeaseEvent, Origin } from '../../src/core/diagnose/types.js';

const A = 'acct @ 10.0.0.4:50000';
const B = 'acct @ 10.0.0.6:50000';
const C = 'acct @ 10.0.0.9:50000';

export const LEASES: LeaseEvent[] = [
  {
    time: '2026-11-24T17:57:00.000Z',
    action: 'acquire',
    target: 'blob',
    leaseId: 'aaaa1111-0000-4000-8000-000000000001',
    duration: 60,
    caller: A,
    status: 201,
  },
  {
    time: '2026-11-24T17:57:40.000Z',
    action: 'renew',
    target: 'blob',
    leaseId: 'aaaa1111-0000-4000-8000-000000000001',
    duration: 60,
    caller: A,
    status: 200,
  },
  {
    time: '2026-11-24T17:59:00.000Z',
    action: 'acquire',
    target: 'blob',
    leaseId: 'bbbb2222-0000-4000-8000-000000000002',
    duration: -1,
    caller: B,
    status: 201,
  },
  { time: '2026-11-24T17:59:20.000Z', action: 'break', target: 'blob', caller: C, status: 202 },
  {
    time: '2026-11-24T17:59:25.000Z',
    action: 'acquire',
    target: 'blob',
    leaseId: 'cccc3333-0000-4000-8000-000000000003',
    duration: 15,
    caller: B,
    status: 201,
  },
  {
    time: '2026-11-24T17:59:35.000Z',
    action: 'release',
    target: 'blob',
    leaseId: 'cccc3333-0000-4000-8000-000000000003',
    caller: B,
    status: 200,
  },
  {
    time: '2026-11-24T17:59:50.000Z',
    action: 'acquire',
    target: 'blob',
    leaseId: 'dddd4444-0000-4000-8000-000000000004',
    duration: -1,
    caller: A,
    status: 201,
  },
  { time: '2026-11-24T18:00:00.500Z', action: 'acquire', target: 'blob', caller: B, status: 409 },
];

/** What each bar should show, in order. */
export const LEASE_ENDS = ['expired', 'broken', 'released', 'open'];

export const ORIGIN: Origin = {
  kind: 'other-writer',
  by: {
    time: '2026-11-24T17:59:30.000Z',
    operation: 'SetBlobMetadata',
    requestId: '22222222-201e-0137-5c45-cdd293000000',
    caller: B,
    userAgent: 'writer-B/2.0',
    identity: 'acct (SharedKey)',
    status: 200,
  },
  confidence: 'certain',
  summary: 'another caller changed the blob between the read and the write',
  evidence: ['race.log:2 SetBlobMetadata 200 by acct @ 10.0.0.6:50000 replaced "0x8DECE5F6A1B2C30"'],
};
