/** The replay report: a capture's conditions judged against the live blob. Pure assembly. */
import type { Evaluation } from './evaluate.js';
import type { RefreshChange } from './refresh.js';
import type { InspectReport } from './inspect-report.js';
import type { CapturedRequest, HeaderMap, SourceLocation } from './types.js';

interface SentRequest {
  method: string;
  url: string;
  headers: HeaderMap;
}

type ReplayBlob = InspectReport['blob'] & Omit<InspectReport, 'command' | 'version' | 'blob' | 'target' | 'credential'>;

export interface ReplayReport {
  command: 'replay';
  version: string;
  mode: 'probe' | 'execute';
  source?: SourceLocation;
  request: { method: string; url: string; operation: string; headers: HeaderMap; time?: string; requestId?: string };
  recorded?: { status: number; errorCode?: string };
  /** As inspect, flattened: url, container, name, exists, etag, lastModified, lease… */
  blob: ReplayBlob;
  conditions: Evaluation['conditions'];
  expected: Evaluation['expected'];
  verdict: Evaluation['verdict'];
  /** When `verdict` is `undecided`: the conditions that could not be checked, and why. */
  undecided?: string[];
  cause?: Evaluation['cause'];
  fix: string[];
  notes: string[];
  refresh?: { changes: RefreshChange[]; headers: HeaderMap; notes: string[] };
  sent?: SentRequest;
  actual?: { status: number; errorCode?: string; requestId?: string };
  /** A Blob Batch: each sub-request judged against its own blob, in the batch's order. */
  subRequests?: SubRequestReport[];
}

/** One sub-request of a Blob Batch, reported as a replay of its own (core/batch.ts). */
export type SubRequestReport = Omit<ReplayReport, 'command' | 'version' | 'mode' | 'source' | 'subRequests'> & {
  index: number;
  contentId?: string;
};

/**
 * A batch's verdict from its sub-requests': any that would fail makes the batch `would-fail` (the 202 carries that
 * sub-response's failure), else any undecided makes it `undecided`, else `would-succeed`.
 */
export function batchVerdict(subs: readonly Pick<SubRequestReport, 'verdict'>[]): ReplayReport['verdict'] {
  if (subs.some((s) => s.verdict === 'would-fail')) return 'would-fail';
  return subs.some((s) => s.verdict === 'undecided') ? 'undecided' : 'would-succeed';
}

export interface ReplayParts {
  version: string;
  /** Already redacted. */
  request: CapturedRequest;
  requestId?: string;
  source?: SourceLocation;
  evaluation: Evaluation;
  blob: InspectReport;
  notes: string[];
}

export function buildReplayReport(p: ReplayParts): ReplayReport {
  const { command: _c, version: _v, blob: identity, target: _t, credential: _cr, ...state } = p.blob;
  const blob: ReplayBlob = { ...identity, ...state };
  const ev = p.evaluation;
  return {
    command: 'replay',
    version: p.version,
    mode: 'probe',
    ...(p.source ? { source: p.source } : {}),
    request: {
      method: p.request.method.toUpperCase(),
      url: p.request.url,
      operation: ev.operation.name,
      headers: p.request.headers,
      ...(p.request.time ? { time: p.request.time } : {}),
      ...(p.requestId ? { requestId: p.requestId } : {}),
    },
    ...(ev.recorded ? { recorded: ev.recorded } : {}),
    blob,
    conditions: ev.conditions,
    expected: ev.expected,
    verdict: ev.verdict,
    ...(ev.undecided ? { undecided: ev.undecided } : {}),
    ...(ev.cause ? { cause: ev.cause } : {}),
    fix: ev.fix,
    notes: [...ev.notes, ...p.notes],
  };
}
