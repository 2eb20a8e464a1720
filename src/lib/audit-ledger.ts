/**
 * The audit's memory of what this process has seen of each blob, and the rule that tells a reused ETag from
 * honest contention without knowing which worker sent what (concurrent workers share one pipeline).
 *
 * The rule: every answer that shows a blob's state licenses one conditional write that asserts that state — a read
 * or a write answered with ETag E licenses one write with `If-Match: E`; a read answered 404 (or a delete)
 * licenses one `If-None-Match: *`. A write spends a license when it is sent. Honest code reads before each write, so
 * its writes always find a license, however the workers interleave. A write that finds none is a copy of an older
 * one; it is reported only when the process also knows the state it asserts is gone (it already wrote successfully
 * with that ETag, saw the blob exist, or had the same write refused), so an ETag carried in from elsewhere (a
 * listing, another process, an HTTP client's If-Match) is never blamed. Which of several workers sent the unlicensed
 * write cannot be known: the finding names the request that found no license, and their number is exact.
 */
import type { AuditedRequest } from './audit-request.js';
import type { HeaderMap } from '../core/types.js';

export type AuditFindingKind =
  'reused-etag' | 'create-only-on-overwrite' | 'blind-write' | 'blind-retry' | 'stale-lease';

export interface LedgerFinding {
  kind: AuditFindingKind;
  detail: string;
}

interface LeaseRecord {
  state: 'active' | 'released' | 'changed' | 'broken' | 'refused';
  /** Seconds, -1 infinite. */
  duration: number;
  /** When the last acquire or renew was answered (the service's clock started before that). */
  confirmedAt: number;
  /** Broken: when the break period ends. Refused: the service's answer. */
  breaksAt?: number;
  refusal?: string;
}

interface Book {
  licenses: Map<string, number>;
  /** ETags a successful write was conditioned on: the blob has moved past them for good. */
  spent: Set<string>;
  seenExists: boolean;
  controlled: boolean;
  blindBefore: number;
  /** Condition signatures refused (412, or 409 BlobAlreadyExists), with the number of reads answered by then. */
  refused: Map<string, number>;
  reads: number;
  leases: Map<string, LeaseRecord>;
}

/** What beforeSend decided, for afterResponse. */
export interface Pending {
  findings: LedgerFinding[];
  signature: string;
}

const MAX_BLOBS = 10_000;
const MAX_KEYS = 256;
/** A lease id refused with one of these is gone: expired, broken, released, or replaced by another holder. */
const LEASE_GONE = new Set(['LeaseNotPresentWithBlobOperation', 'LeaseLost', 'LeaseIdMismatchWithBlobOperation']);

function cap<K, V>(map: Map<K, V> | Set<K>, max = MAX_KEYS): void {
  while (map.size > max) map.delete(map.keys().next().value as K);
}

const etagKey = (etag: string) => `etag:${etag}`;
const ABSENT = 'absent';

/** The state a write asserts: one license key per condition that names a state. */
function asserted(r: AuditedRequest): string[] {
  const keys: string[] = [];
  const m = r.conditions.ifMatch?.trim();
  if (m && m !== '*') keys.push(etagKey(m));
  if (r.conditions.ifNoneMatch?.trim() === '*') keys.push(ABSENT);
  return keys;
}

function signature(r: AuditedRequest): string {
  const c = r.conditions;
  return JSON.stringify([c.ifMatch, c.ifNoneMatch, c.ifModifiedSince, c.ifUnmodifiedSince, c.ifTags, r.leaseId]);
}

function isControlled(r: AuditedRequest): boolean {
  return Object.values(r.conditions).some((v) => v !== undefined) || r.leaseId !== undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export class AuditLedger {
  private readonly books = new Map<string, Book>();

  private book(blob: string): Book {
    let b = this.books.get(blob);
    if (b) {
      // Most recently used last: the oldest blob is the one forgotten first.
      this.books.delete(blob);
    } else {
      b = {
        licenses: new Map(),
        spent: new Set(),
        seenExists: false,
        controlled: false,
        blindBefore: 0,
        refused: new Map(),
        reads: 0,
        leases: new Map(),
      };
    }
    this.books.set(blob, b);
    cap(this.books, MAX_BLOBS);
    return b;
  }

  private license(b: Book, key: string): void {
    const n = b.licenses.get(key) ?? 0;
    // Re-inserted last: when the map is full, the longest-unused state is forgotten first.
    b.licenses.delete(key);
    b.licenses.set(key, n + 1);
    cap(b.licenses);
  }

  private spend(b: Book, key: string): boolean {
    const n = b.licenses.get(key) ?? 0;
    if (n <= 0) return false;
    b.licenses.set(key, n - 1);
    return true;
  }

  /** Called as the request leaves: spends its licenses and decides what it is. `at` is a monotonic clock in ms. */
  beforeSend(r: AuditedRequest, at: number): Pending {
    const b = this.book(r.blob);
    const findings: LedgerFinding[] = [];
    const sig = signature(r);
    const stale = r.kind !== 'lease' && r.leaseId ? this.staleLease(b, r.leaseId, at) : undefined;
    if (stale) findings.push({ kind: 'stale-lease', detail: stale });
    if (r.kind === 'write') {
      const blind = this.blindWrite(b, r);
      if (blind) findings.push(blind);
      const copy = this.unlicensed(b, r, sig);
      if (copy) findings.push(copy);
    }
    return { findings, signature: sig };
  }

  private blindWrite(b: Book, r: AuditedRequest): LedgerFinding | undefined {
    if (!isControlled(r)) {
      if (!b.controlled) {
        b.blindBefore += 1;
        return undefined;
      }
      return {
        kind: 'blind-write',
        detail:
          `${r.method} without If-Match, If-None-Match, If-Unmodified-Since or a lease id on a blob this process also ` +
          'writes with conditions: it overwrites whatever the conditional writers wrote. Send If-Match with the ETag ' +
          'you read (or the lease id you hold).',
      };
    }
    const earlier = b.blindBefore;
    b.controlled = true;
    b.blindBefore = 0;
    if (earlier === 0) return undefined;
    return {
      kind: 'blind-write',
      detail:
        `${earlier} earlier write${earlier === 1 ? '' : 's'} to this blob carried no condition and no lease id, and ` +
        'this one is conditional: the unconditional writes bypass the concurrency control. Send If-Match (or the ' +
        'lease id) with every write.',
    };
  }

  private unlicensed(b: Book, r: AuditedRequest, sig: string): LedgerFinding | undefined {
    const keys = asserted(r);
    const missing = keys.filter((k) => !this.spend(b, k));
    const refusedAt = b.refused.get(sig);
    const etag = r.conditions.ifMatch?.trim();
    if (missing.length === 0) {
      // Only dates (If-Unmodified-Since, …): the same write again with no read in between is a blind retry.
      const datesOnly = keys.length === 0 && (r.conditions.ifUnmodifiedSince ?? r.conditions.ifModifiedSince);
      if (datesOnly && refusedAt !== undefined && refusedAt === b.reads)
        return { kind: 'blind-retry', detail: retryDetail(r) };
      return undefined;
    }
    if (etag && missing.includes(etagKey(etag)) && b.spent.has(etag)) {
      return {
        kind: 'reused-etag',
        detail:
          `${r.method} with If-Match ${etag}: this process already wrote this blob successfully with that ETag, and ` +
          'no answer since showed it again, so it is a cached ETag reused across writes (it fails with 412 ' +
          'ConditionNotMet). Re-read the blob before each write, or use the ETag the last write returned.',
      };
    }
    if (refusedAt !== undefined) return { kind: 'blind-retry', detail: retryDetail(r) };
    if (missing.includes(ABSENT) && b.seenExists) {
      return {
        kind: 'create-only-on-overwrite',
        detail:
          `${r.method} with If-None-Match: * on a blob this process has seen exist, with no answer since showing it ` +
          'missing: a create-only write on an overwrite path (it fails with 409 BlobAlreadyExists). Read the blob ' +
          'and write with If-Match its ETag.',
      };
    }
    return undefined;
  }

  private staleLease(b: Book, leaseId: string, at: number): string | undefined {
    const rec = b.leases.get(leaseId);
    if (!rec) return undefined;
    const id = `lease id ${leaseId}`;
    switch (rec.state) {
      case 'released':
        return `${id} used after this process released that lease: the service refuses it (412). Acquire a new lease.`;
      case 'changed':
        return `${id} used after this process changed the lease to another id: use the new id.`;
      case 'refused':
        return `${id} used after the service refused it (${rec.refusal}): the lease expired or was broken or taken.`;
      case 'broken':
        if (rec.breaksAt !== undefined && at < rec.breaksAt) return undefined;
        return `${id} used after this process saw the lease broken: the service refuses it (412). Acquire a new lease.`;
      case 'active': {
        if (rec.duration < 0) return undefined;
        const since = at - rec.confirmedAt;
        if (since <= rec.duration * 1000) return undefined;
        return (
          `${id} used ${seconds(since)} after it was last acquired or renewed, for ${rec.duration} s: the lease has ` +
          'expired. Renew it well inside its duration (withBlobLease does), and stop writing when it is lost.'
        );
      }
    }
  }

  /** Called with the answer (status 0 when none came): records what it showed. */
  afterResponse(r: AuditedRequest, pending: Pending, status: number, headers: HeaderMap, at: number): void {
    const b = this.book(r.blob);
    const etag = headers['etag'];
    const errorCode = headers['x-ms-error-code'];
    const ok = status >= 200 && status < 300;
    if (r.kind === 'read') {
      if (ok || status === 304) {
        b.reads += 1;
        b.seenExists = true;
        if (etag) this.license(b, etagKey(etag));
      } else if (status === 404) {
        b.reads += 1;
        this.license(b, ABSENT);
      }
    } else if (r.kind === 'write') {
      if (ok) {
        const m = r.conditions.ifMatch?.trim();
        if (m && m !== '*') {
          b.spent.add(m);
          cap(b.spent);
        }
        if (r.method === 'DELETE') this.license(b, ABSENT);
        else {
          b.seenExists = true;
          if (etag) this.license(b, etagKey(etag));
        }
      } else if (status === 412 || (status === 409 && errorCode === 'BlobAlreadyExists')) {
        b.refused.set(pending.signature, b.reads);
        cap(b.refused);
        if (status === 409) b.seenExists = true;
      }
    }
    if (r.leaseId && r.kind !== 'lease' && status === 412 && LEASE_GONE.has(errorCode ?? '')) {
      const rec = b.leases.get(r.leaseId);
      b.leases.set(r.leaseId, {
        state: 'refused',
        duration: rec?.duration ?? 0,
        confirmedAt: rec?.confirmedAt ?? at,
        refusal: `412 ${errorCode}`,
      });
    }
    if (r.kind === 'lease') this.leaseAnswered(b, r, status, headers, at);
  }

  private leaseAnswered(b: Book, r: AuditedRequest, status: number, headers: HeaderMap, at: number): void {
    const granted = headers['x-ms-lease-id'];
    const current = r.leaseId ? b.leases.get(r.leaseId) : undefined;
    if (r.leaseAction === 'acquire' && status === 201 && granted) {
      b.leases.set(granted, { state: 'active', duration: r.leaseDuration ?? -1, confirmedAt: at });
    } else if (r.leaseAction === 'renew' && status === 200 && r.leaseId) {
      b.leases.set(r.leaseId, { state: 'active', duration: current?.duration ?? -1, confirmedAt: at });
    } else if (r.leaseAction === 'change' && status === 200 && r.leaseId && granted) {
      b.leases.set(r.leaseId, { ...(current ?? { duration: -1, confirmedAt: at }), state: 'changed' });
      b.leases.set(granted, {
        state: 'active',
        duration: current?.duration ?? -1,
        confirmedAt: current?.confirmedAt ?? at,
      });
    } else if (r.leaseAction === 'release' && status === 200 && r.leaseId) {
      b.leases.set(r.leaseId, { ...(current ?? { duration: -1, confirmedAt: at }), state: 'released' });
    } else if (r.leaseAction === 'break' && status === 202) {
      const period = Number(headers['x-ms-lease-time'] ?? 0) * 1000;
      for (const [id, rec] of b.leases)
        if (rec.state === 'active') b.leases.set(id, { ...rec, state: 'broken', breaksAt: at + period });
    }
    cap(b.leases, 64);
  }
}

function retryDetail(r: AuditedRequest): string {
  const c = r.conditions;
  const shown = [
    c.ifMatch && `If-Match ${c.ifMatch}`,
    c.ifNoneMatch && `If-None-Match ${c.ifNoneMatch}`,
    c.ifUnmodifiedSince && `If-Unmodified-Since ${c.ifUnmodifiedSince}`,
    c.ifModifiedSince && `If-Modified-Since ${c.ifModifiedSince}`,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    `${r.method} sent again with the same conditions (${shown}) after the service refused them, with no read in ` +
    'between: it fails the same way. Re-read the blob and rebuild the write from what it holds now (readRefreshWrite).'
  );
}
