/**
 * The guide's Step-by-Step Diagnosis, filled in: capture the request, compare supplied and server values,
 * trace concurrent writers, retest. Plus the fix with the command line that retests it. Pure.
 */
import type { CauseReport } from '../causes.js';
import type { ConditionResult } from '../conditions/rule.js';
import { originFix, originStep, supersedesCauseFix } from './origin-advice.js';
import type {
  AtFailure,
  Contention,
  EtagTimeline,
  LeaseEvent,
  NowState,
  Observed,
  Origin,
  Step,
  Writer,
} from './types.js';

/** POSIX-shell quoting for a command line the user will paste. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `cnm replay …` that re-checks the request against the live blob (read-only). */
export function replayCommand(o: Observed, id: string, diagnoseArgs: readonly string[]): string {
  const file = o.source.file;
  const fromCapture = o.capture && file && o.source.kind !== 'log-analytics';
  if (fromCapture) return ['cnm', 'replay', file, '--request-id', o.requestId ?? id].map(shellQuote).join(' ');
  const diagnose = ['cnm', 'diagnose', '--request-id', id, ...diagnoseArgs, '--json'].map(shellQuote).join(' ');
  return `${diagnose} | jq .capture > capture.json && cnm replay capture.json`;
}

function outcome(o: Observed): string {
  return `${o.status}${o.errorCode ? ` ${o.errorCode}` : ''}`;
}

function compareDetail(conditions: ConditionResult[], atFailure: AtFailure, now: NowState | undefined): string {
  const judged = conditions.map(
    (c) =>
      `${c.header}: supplied ${c.supplied}, at the failure ${c.current ?? 'unknown'} → ` +
      `${c.holds === true ? 'holds' : c.holds === false ? 'FAILS' : 'not decidable'}`,
  );
  const parts = [
    judged.length ? judged.join('; ') : 'the request carried no condition the sources recorded',
    `state at the failure: ${atFailure.basis}`,
  ];
  if (now)
    parts.push(
      now.exists
        ? `now: ETag ${now.etag ?? 'unknown'}, Last-Modified ${now.lastModified ?? 'unknown'}, lease ${now.lease?.state ?? 'unknown'}`
        : 'now: the blob does not exist',
    );
  else parts.push('now: not read (give credentials, as for cnm inspect, to compare with the live blob)');
  return parts.join('. ');
}

function writersDetail(writers: Writer[], t: EtagTimeline, window: string, contention?: Contention): string {
  const others = writers.filter((w) => w.role !== 'same-client-request');
  const callers = new Set(others.map((w) => `${w.caller ?? ''}|${w.userAgent ?? ''}|${w.identity ?? ''}`));
  const head =
    others.length === 0
      ? `no other request on this blob within ±${window} in the sources searched`
      : `${others.length} other request(s) on this blob within ±${window}, from ${callers.size} caller(s)`;
  const tail = contention
    ? `; path recognised: ${contention.title}${contention.expected ? ' — expected contention' : ''}`
    : '';
  return `${head}. ${t.note}${tail}`;
}

export interface StepInput {
  target: Observed;
  id: string;
  conditions: ConditionResult[];
  cause?: CauseReport;
  atFailure: AtFailure;
  now?: NowState;
  writers: Writer[];
  retries: Writer[];
  timeline: EtagTimeline;
  contention?: Contention;
  origin: Origin;
  leases: LeaseEvent[];
  window: string;
  replay: string;
}

export function buildSteps(i: StepInput): Step[] {
  const o = i.target;
  const ids = `x-ms-request-id ${o.requestId ?? 'unknown'}${o.clientRequestId ? `, x-ms-client-request-id ${o.clientRequestId}` : ''}`;
  const chain = i.retries.length
    ? `; ${i.retries.length} other attempt(s) share the client request id (a retry chain)`
    : '';
  return [
    {
      title: 'Capture the request',
      detail:
        `${o.operation} ${o.blobKey ?? o.url ?? ''} at ${o.time ?? 'an unknown time'} answered ` +
        `${outcome(o)} (${ids}); caller ${o.caller ?? 'unknown'}, user agent ${o.userAgent ?? 'unknown'}; found ` +
        `in ` +
        `${o.source.kind}${o.source.file ? ` ${o.source.file}${o.source.line ? `:${o.source.line}` : ''}` : ''}${chain}`,
    },
    { title: 'Compare supplied and server values', detail: compareDetail(i.conditions, i.atFailure, i.now) },
    {
      title: 'Trace concurrent writers',
      detail: `${originStep(i.origin, i.leases)}. ${writersDetail(i.writers, i.timeline, i.window, i.contention)}`,
    },
    {
      title: 'Retest',
      detail:
        `re-check the conditions against the live blob (read-only): ${i.replay}; then change the writer as the ` +
        `fix says (${i.origin.kind === 'unknown' ? 'read-refresh-write' : `it follows from the origin, ${i.origin.kind}`}) and replay again`,
    },
  ];
}

export function buildFix(
  cause: CauseReport | undefined,
  causeFix: string[],
  contention: Contention | undefined,
  origin: Origin,
  replay: string,
): string[] {
  const fix = [...(contention?.fix ?? []), ...originFix(origin), ...(supersedesCauseFix(origin) ? [] : causeFix)];
  if (!cause && fix.length === 0)
    fix.push(
      'No condition failure could be established from the sources: compare the request with the blob now (cnm replay) to see what fails.',
    );
  fix.push(`Retest: ${replay}`);
  return [...new Set(fix)];
}
