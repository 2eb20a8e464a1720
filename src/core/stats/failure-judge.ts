/**
 * What `cnm stats` reads off one failure beyond its counts: its origin's kind (the classifier `cnm diagnose` uses,
 * judged against the blob's last requests before it) and who sent it. The judging is the costly part of a big
 * log, so it sits behind a port: judged here, on the spot, or elsewhere (a worker thread) and settled later, in
 * the order the failures were met. Pure.
 */
import { classifyOrigin, expectedContention } from '../diagnose/origin.js';
import { originKind } from '../diagnose/origin-kind.js';
import type { Observed } from '../diagnose/types.js';
import { hostOf } from './failure.js';
import type { StatsRecord } from './record.js';

export interface FailureDetails {
  /** The origin's kind (`expected-contention` for a library's routine race). */
  kind: string;
  /** The caller's address without its port, else the caller as the source names it. */
  caller: string | null;
  userAgent: string | null;
  identity: string | null;
  requestId?: string;
  clientRequestId?: string;
  time?: string;
}

/** The library whose routine race this failure is (its origin is then expected contention). */
export function expectedKind(blobKey: string | undefined, errorKey: string): string | undefined {
  return expectedContention(blobKey, errorKey)?.kind;
}

/** `expected`: the path alone makes it expected contention (expectedKind), so the history is not read. */
export function judgeFailure(failed: Observed, history: readonly Observed[], expected: boolean): FailureDetails {
  const kind = expected
    ? 'expected-contention'
    : (originKind(failed, history) ?? classifyOrigin(failed, history).origin.kind);
  return details(failed, kind);
}

function details(failed: Observed, kind: string): FailureDetails {
  return {
    kind,
    caller: hostOf(failed.callerIp) ?? failed.caller ?? null,
    userAgent: failed.userAgent ?? null,
    identity: failed.identity ?? null,
    requestId: failed.requestId,
    clientRequestId: failed.clientRequestId,
    time: failed.time,
  };
}

export interface FailureJudge {
  /**
   * The failure's details now, or undefined when they come later, through the aggregator's settle(), in the
   * order the failures were given. `history`: the blob's last requests before it, oldest first.
   */
  judge(failed: StatsRecord, history: readonly StatsRecord[], expected: boolean): FailureDetails | undefined;
  /** A promise while the judge is too far behind: the reader waits for it before reading on. */
  pace?(): Promise<void> | undefined;
}

/**
 * The failure's details when its kind is cheap to tell (originKind: an ETag or date failure of a service log), else
 * undefined: the full classifier is needed, and may run elsewhere.
 */
export function judgeQuickly(
  failed: StatsRecord,
  history: readonly StatsRecord[],
  expected: boolean,
): FailureDetails | undefined {
  const o = failed.observe();
  // Requests that cannot have changed the blob are read by originKind for nothing: left unparsed (StatsRecord.inert).
  const kind = expected
    ? 'expected-contention'
    : originKind(o, () => history.filter((r) => !r.inert).map((r) => r.observe()));
  return kind && details(o, kind);
}

/** Every failure judged on the spot. */
export const judgeHere: FailureJudge = {
  judge: (failed, history, expected) =>
    judgeFailure(failed.observe(), expected ? [] : history.map((r) => r.observe()), expected),
};
