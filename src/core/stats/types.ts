/** `cnm stats`'s report (SPEC §6 stats): the ConditionNotMet picture of a whole workload. */

export interface RateSide {
  requests: number;
  failures: number;
  rate: number;
}

export interface StatsCompare {
  deployedAt: string;
  before: RateSide;
  after: RateSide;
  /** after.rate / before.rate; null when nothing failed before. */
  ratio: number | null;
  /** The rates differ beyond chance (two-sided, alpha 0.05). */
  significant: boolean;
  /** The rate after is lower beyond chance (one-sided, alpha 0.05): what --expect-drop asks. */
  dropped: boolean;
  pValue: number | null;
  pDrop: number | null;
  test: string;
  /** Failures on paths of expected contention (Event Hubs, Functions locks, …) are left out of both sides. */
  expectedContentionCounted: false;
}

export interface StatsBucket {
  start: string;
  requests: number;
  failures: number;
  /** Of the failures, those that are expected contention. */
  expected: number;
}

export interface StatsBlob {
  blob: string;
  requests: number;
  failures: number;
  writers: number;
  topErrorCode: string | null;
  /** The library whose routine contention this path is (event-hubs-ownership, …), when it is one. */
  expectedContention?: string;
  /** requests is exact, or a lower bound (the blob fell out of the bounded counter for a while). */
  requestsExact: boolean;
}

export interface StatsCaller {
  caller: string | null;
  userAgent: string | null;
  identity: string | null;
  failures: number;
}

interface StatsGate {
  /** --fail-above: the threshold on the rate without expected contention. */
  failAbove?: number;
  expectDrop?: boolean;
  /** Why the run fails (exit 1), one sentence a reason; empty when it passes. */
  failed: string[];
}

export interface StatsReport {
  command: 'stats';
  version: string;
  sources: string[];
  range: { since: string; until: string };
  bucket: string;
  totals: {
    requests: number;
    conditional: number;
    /** 412s and the conflicts of a condition or a lease (409 BlobAlreadyExists, Lease*); 304 is apart. */
    failures: number;
    rate: number;
    notModified: number;
    /** Failures on paths whose libraries lose races routinely (Event Hubs, Functions, Durable Task, Terraform). */
    expectedContention: number;
    /** (failures - expectedContention) / requests: what --fail-above and the deploy comparison judge. */
    actionableRate: number;
  };
  byErrorCode: Record<string, number>;
  byOrigin: Record<string, number>;
  series: StatsBucket[];
  blobs: StatsBlob[];
  callers: StatsCaller[];
  compare?: StatsCompare;
  gate: StatsGate;
  /** The command to run next: diagnose the hottest blob's latest failure. */
  next?: string;
  /** Lines or records that could not be read, skipped and counted. */
  skipped: number;
  /** Requests outside the range, or without a time, not counted. */
  outOfRange: number;
  notes: string[];
}
