/**
 * `cnm diagnose` as a pure function: everything the sources showed → the diagnose report, or
 * undefined when the id is in none of them (the command turns that into exit 4).
 */
import { redactCapture, redactHeaders, redactText, redactUrl } from '../redact.js';
import { recogniseContention } from './contention.js';
import { etagTimeline } from './etag-timeline.js';
import { judge } from './judge.js';
import { pickTarget } from './observed.js';
import { classifyOrigin } from './origin.js';
import { explainedLease, withLeaseVerdict } from './lease-verdict.js';
import { buildFix, buildSteps, replayCommand } from './steps.js';
import { atFailureOf, dedupe, inWindow, timeMs, toWriter } from './timeline.js';
import type { DiagnoseReport, NowState, Observed, SearchSummary, Writer } from './types.js';

/** judge's note that the logs hold no lease state: void once the lease timeline told the story. */
const NOT_LOGGED = /lease ids and lease state are not logged/;

export interface DiagnoseInput {
  version: string;
  id: string;
  observed: readonly Observed[];
  windowMs: number;
  /** As the user wrote it (`5m`), for messages. */
  window: string;
  searched: SearchSummary;
  now?: NowState;
  /** The source arguments of this diagnose run, to print a command line that reproduces it. */
  sourceArgs: readonly string[];
  notes?: string[];
}

/** The blob's other requests in the window, oldest first, each with its part in the ETag story. */
/**
 * At most this many other requests are listed: a hot blob (or captures without times, which are all "in the
 * window") can have thousands. The ones that made the ETag chain stay; the rest are the nearest to the failure.
 */
const MAX_WRITERS = 200;

/** `list` cut to MAX_WRITERS: every request with a role, then the nearest to `target` (by time, else by order). */
function nearest(list: readonly Observed[], target: Observed, roles: Map<Observed, Writer['role']>): Observed[] {
  if (list.length <= MAX_WRITERS) return [...list];
  const t = timeMs(target);
  const distance = (o: Observed) => {
    const ot = timeMs(o);
    return t !== undefined && ot !== undefined ? Math.abs(ot - t) : Math.abs(o.order - target.order) + 1e15;
  };
  const keep = new Set(list.filter((o) => roles.has(o)));
  for (const o of [...list].sort((a, b) => distance(a) - distance(b))) {
    if (keep.size >= MAX_WRITERS) break;
    keep.add(o);
  }
  return list.filter((o) => keep.has(o));
}

function writersOf(
  history: readonly Observed[],
  target: Observed,
  windowMs: number,
  roles: Map<Observed, Writer['role']>,
): { writers: Writer[]; omitted: number } {
  const inWindowList = history.filter((o) => o !== target && (inWindow(o, target, windowMs) || roles.has(o)));
  const listed = nearest(inWindowList, target, roles);
  const writers = listed.map((o) =>
    toWriter(
      o,
      roles.get(o) ??
        (o.clientRequestId && o.clientRequestId === target.clientRequestId ? 'same-client-request' : 'other'),
      target,
    ),
  );
  return { writers, omitted: inWindowList.length - listed.length };
}

function blobParts(key: string | undefined): { container?: string; name?: string } {
  const [, , container, ...rest] = (key ?? '').split('/');
  return { container, name: rest.join('/') || undefined };
}

export function buildDiagnoseReport(input: DiagnoseInput): DiagnoseReport | undefined {
  const all = dedupe(input.observed);
  const { target, chain } = pickTarget(all, input.id);
  if (!target) return undefined;
  const history = target.blobKey ? all.filter((o) => o.blobKey === target.blobKey) : [target];
  const atFailure = atFailureOf(history, target);
  const timeline = etagTimeline(history, target, atFailure);
  const j = judge(target, atFailure, timeline);
  const roles = new Map<Observed, Writer['role']>();
  const byId = (w: Writer | undefined) =>
    history.find((o) => w && o.requestId === w.requestId && o.operation === w.operation && o.time === w.time);
  const produced = byId(timeline.producedBy);
  const replaced = byId(timeline.replacedBy);
  if (produced) roles.set(produced, 'produced-supplied-etag');
  if (replaced) roles.set(replaced, 'replaced-supplied-etag');
  const { writers, omitted } = writersOf(history, target, input.windowMs, roles);
  const cut = omitted
    ? [
        `${omitted} more request(s) on this blob in the window are not listed: the ${writers.length} listed are the ` +
          `ones that produced or replaced the ETag and the nearest to the failure`,
      ]
    : [];
  const { origin, leases: allLeases } = classifyOrigin(target, history);
  const windowSeconds = input.windowMs / 1000;
  const leases = allLeases.filter((l) => l.offsetSeconds === undefined || Math.abs(l.offsetSeconds) <= windowSeconds);
  const retries = chain.map((o) => toWriter(o, 'same-client-request', target));
  const { container, name } = blobParts(target.blobKey);
  const contention = recogniseContention(container, name);
  const replay = replayCommand(target, input.id, input.sourceArgs);
  const capture = redactCapture({
    request: j.request,
    response: {
      status: target.status,
      headers: {
        ...(target.capture?.response?.headers ?? {}),
        ...(target.errorCode ? { 'x-ms-error-code': target.errorCode } : {}),
        ...(target.requestId ? { 'x-ms-request-id': target.requestId } : {}),
      },
    },
  });
  const steps = buildSteps({
    target,
    id: input.id,
    conditions: j.conditions,
    cause: j.cause,
    atFailure,
    now: input.now,
    writers,
    retries,
    timeline,
    contention,
    origin,
    leases,
    window: input.window,
    replay,
  });
  return {
    command: 'diagnose',
    version: input.version,
    requestId: target.requestId ?? input.id,
    ...(target.clientRequestId ? { clientRequestId: target.clientRequestId } : {}),
    source: target.source,
    request: {
      method: j.request.method,
      url: redactUrl(j.request.url),
      operation: target.operation,
      ...(target.time ? { time: target.time } : {}),
      headers: redactHeaders(j.request.headers),
      ...(target.conditionsUsed ? { conditionsUsed: target.conditionsUsed } : {}),
      ...(target.caller ? { caller: redactText(target.caller) } : {}),
      ...(target.userAgent ? { userAgent: redactText(target.userAgent) } : {}),
    },
    response: {
      status: target.status,
      ...(target.errorCode ? { errorCode: target.errorCode } : {}),
      ...(target.requestId ? { requestId: target.requestId } : {}),
      ...(target.capture?.response ? { headers: redactHeaders(target.capture.response.headers) } : {}),
    },
    atFailure,
    // The report always has `now`: null when no credentials were given to read the live blob.
    now: input.now ?? null,
    conditions: withLeaseVerdict(j.conditions, origin),
    ...(j.cause ? { cause: j.cause } : {}),
    ...(contention ? { contention } : {}),
    origin,
    steps,
    writers,
    timeline,
    leases,
    retries,
    fix: buildFix(j.cause, j.fix, contention, origin, replay),
    replay,
    capture,
    window: input.window,
    searched: input.searched,
    notes: [...j.notes.filter((n) => !explainedLease(origin) || !NOT_LOGGED.test(n)), ...cut, ...(input.notes ?? [])],
  };
}
