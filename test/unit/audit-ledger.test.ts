/**
 * The audit's licensing rule, as a property over every interleaving of concurrent workers sharing one pipeline:
 * honest read-then-write workers are never reported, however their requests and answers interleave; one worker
 * reusing an ETag it already wrote with is reported exactly once. The answers fed to the ledger follow Azure's
 * documented If-Match / If-None-Match rules on a single blob (a write holds iff its ETag is the current one, or the
 * blob is absent for `If-None-Match: *`); the same rule against a real Azurite is proven in
 * test/integration/audit-conditional-requests.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditLedger, type LedgerFinding } from '../../src/lib/audit-ledger.js';
import type { AuditedRequest } from '../../src/lib/audit-request.js';

const BLOB = 'http://127.0.0.1/acct/c/b.json';

interface Blob {
  etag?: string;
  version: number;
}

function read(): AuditedRequest {
  return { blob: BLOB, kind: 'read', method: 'GET', conditions: {} };
}

function write(etag: string | undefined): AuditedRequest {
  return {
    blob: BLOB,
    kind: 'write',
    method: 'PUT',
    conditions: etag ? { ifMatch: etag } : { ifNoneMatch: '*' },
  };
}

/** One worker's next step; returns false when it has nothing left to do. */
type Worker = () => boolean;

type Reuser = 'none' | 'anywhere' | 'first';

/** The blob starts missing for 'none' (a creation race), and written by someone else for the reuse cases. */
function simulate(schedule: number[], honest: number, rounds: number, reuser: Reuser): LedgerFinding[] {
  const ledger = new AuditLedger();
  const blob: Blob = reuser === 'none' ? { version: 0 } : { etag: '"0x0"', version: 0 };
  const findings: LedgerFinding[] = [];
  let clock = 0;
  const answerWrite = (r: AuditedRequest, pending: ReturnType<AuditLedger['beforeSend']>): boolean => {
    const holds = r.conditions.ifMatch ? r.conditions.ifMatch === blob.etag : blob.etag === undefined;
    if (holds) blob.etag = `"0x${(++blob.version).toString(16)}"`;
    const headers: Record<string, string> = holds
      ? { etag: blob.etag! }
      : { 'x-ms-error-code': r.conditions.ifMatch ? 'ConditionNotMet' : 'BlobAlreadyExists' };
    ledger.afterResponse(r, pending, holds ? 201 : r.conditions.ifMatch ? 412 : 409, headers, clock++);
    return holds;
  };
  const worker = (reuses: boolean): Worker => {
    let left = rounds;
    let step: 'read' | 'answer-read' | 'write' | 'answer-write' | 'reuse' | 'answer-reuse' | 'done' = 'read';
    let seen: string | undefined;
    let sent: { r: AuditedRequest; pending: ReturnType<AuditLedger['beforeSend']> } | undefined;
    const send = (r: AuditedRequest) => {
      const pending = ledger.beforeSend(r, clock++);
      findings.push(...pending.findings);
      sent = { r, pending };
    };
    return () => {
      switch (step) {
        case 'read':
          send(read());
          step = 'answer-read';
          return true;
        case 'answer-read':
          seen = blob.etag;
          ledger.afterResponse(sent!.r, sent!.pending, seen ? 200 : 404, seen ? { etag: seen } : {}, clock++);
          step = 'write';
          return true;
        case 'write':
          send(write(seen));
          step = 'answer-write';
          return true;
        case 'answer-write':
          if (!answerWrite(sent!.r, sent!.pending)) step = 'read';
          else if (reuses)
            step = seen ? 'reuse' : 'read'; // it created the blob: read it, then write twice
          else step = --left > 0 ? 'read' : 'done';
          return true;
        case 'reuse':
          send(write(seen)); // the ETag it already wrote with, cached
          step = 'answer-reuse';
          return true;
        case 'answer-reuse':
          answerWrite(sent!.r, sent!.pending);
          step = 'done';
          return true;
        case 'done':
          return false;
      }
    };
  };
  const workers = Array.from({ length: honest }, () => worker(false));
  if (reuser !== 'none') workers.unshift(worker(true));
  // 'first': it reads and writes before anyone else moves; when it resends that ETag is left to the schedule.
  if (reuser === 'first') for (let i = 0; i < 4; i++) workers[0]!();
  for (const pick of schedule) workers[pick % workers.length]!();
  // Then round robin until everyone is done (each cycle lets at least one write through).
  for (let guard = 0; guard < 100_000; guard++) if (!workers.map((w) => w()).some(Boolean)) break;
  return findings;
}

const schedules = fc.array(fc.nat({ max: 1000 }), { maxLength: 300 });

describe('the audit ledger: licences tell a reused ETag from honest contention', () => {
  it('honest read-then-write workers, any interleaving, starting from a missing blob: no finding', () => {
    fc.assert(
      fc.property(schedules, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), (s, n, rounds) => {
        expect(simulate(s, n, rounds, 'none')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('a worker resends the ETag it already wrote with, whenever the honest workers around it move: one reused-etag', () => {
    fc.assert(
      fc.property(schedules, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 3 }), (s, n, rounds) => {
        expect(simulate(s, n, rounds, 'first').map((f) => f.kind)).toEqual(['reused-etag']);
      }),
      { numRuns: 300 },
    );
  });

  it('a reuse anywhere among honest workers: never a finding of another kind, never more than one', () => {
    // When the ETag it reuses was also shown to the process by another answer nobody used (a write's answer and
    // a later read both show it), that spare licence covers the reuse: a miss, never a false report.
    fc.assert(
      fc.property(schedules, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }), (s, n, rounds) => {
        const kinds = simulate(s, n, rounds, 'anywhere').map((f) => f.kind);
        expect(kinds.length).toBeLessThanOrEqual(1);
        expect(kinds.every((k) => k === 'reused-etag')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
