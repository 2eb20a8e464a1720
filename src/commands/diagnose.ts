/**
 * `cnm diagnose --request-id <id> [sources…]` and `cnm diagnose <capture>`: find the failed request in the
 * sources, rebuild the blob's history around it, read the blob now when credentials are given (read-only),
 * and return the report. Never prints, never exits: not found is a CnmError (exit 4).
 */
import { CnmError } from '../core/errors.js';
import { accessOf, type Context } from './context.js';
import { hasSource, remoteSources, sourceFlags, sourceIo, type LogSourceOptions } from './log-sources.js';
import { inputFiles } from './input-files.js';
import { buildDiagnoseReport } from '../core/diagnose/build-report.js';
import { fromCapture, pickTarget } from '../core/diagnose/observed.js';
import { boundsOf, logHours, parseDuration, parseTimeArg, type TimeBounds } from '../core/diagnose/time-options.js';
import type { DiagnoseReport, NowState, Observed } from '../core/diagnose/types.js';
import { searchSources, widen, type SearchRequest } from '../logs/search.js';
import { VERSION } from '../core/version.js';

export interface DiagnoseOptions extends LogSourceOptions {
  requestId?: string;
  since?: string;
  until?: string;
  window?: string;
  time?: string;
  now?: boolean;
}

function usage(message: string, hint = 'see cnm diagnose --help'): CnmError {
  return new CnmError('usage', message, { hint });
}

function timeArg(flag: string, value: string | undefined, now: Date): string | undefined {
  if (value === undefined) return undefined;
  const r = parseTimeArg(value, now);
  if (!r.ok) throw usage(`${flag}: ${r.message}`);
  return r.value;
}

function boundsFrom(o: DiagnoseOptions): TimeBounds {
  const now = new Date();
  const since = timeArg('--since', o.since, now);
  const until = timeArg('--until', o.until, now);
  if (since && until && since > until) throw usage(`--since ${o.since} is after --until ${o.until}`);
  return boundsOf(since, until, timeArg('--time', o.time, now));
}

/** `diagnose <capture>` without an id: the capture's failed conditional request names itself. */
async function idFromCapture(file: string): Promise<string> {
  const { invalidSkipped, readCaptureFile } = await import('../logs/read-capture-file.js');
  const read = await readCaptureFile(file);
  if (!read.ok) {
    const { message, ...location } = read.issue;
    throw new CnmError('input', message, { location });
  }
  const pick = read.captures.map((c, i) => fromCapture(c, i)).find((o) => o.requestId || o.clientRequestId);
  if (!pick)
    throw new CnmError(
      'input',
      read.captures.length
        ? 'the failed request carries no x-ms-request-id or x-ms-client-request-id'
        : `no failed conditional request in it${invalidSkipped(read)}`,
      { location: { file }, hint: 'pass --request-id <id>' },
    );
  return pick.requestId ?? pick.clientRequestId!;
}

/** A request can hide in a line too long to read: say so where the search found nothing. */
function longLinesSkipped(scans: ReadonlyArray<{ issues: ReadonlyArray<{ message: string }> }>): string {
  const long = scans.flatMap((s) => s.issues).filter((i) => /^longer than \d+ MB/.test(i.message));
  if (long.length === 0) return '';
  const limit = /^longer than (\d+ MB)/.exec(long[0]!.message)![1];
  return `; ${long.length} line${long.length === 1 ? '' : 's'} longer than ${limit} were skipped unread (CNM_MAX_LINE_MB)`;
}

/**
 * What was read past without being searched — a malformed line, a file cnm could not read — said in the not-found
 * error: the request may be there, and "check the id" alone hid it.
 */
function othersSkipped(notes: readonly string[]): string {
  const skipped = notes.filter((n) => n.startsWith('skipped ') && !/longer than \d+ MB/.test(n));
  if (skipped.length === 0) return '';
  const more = skipped.length > 1 ? ` (and ${skipped.length - 1} more)` : '';
  return `; not searched, so it may be there: ${skipped[0]!.slice('skipped '.length)}${more}`;
}

function describeRange(b: TimeBounds): string {
  if (!b.from && !b.to) return 'at any time';
  return `between ${b.from ?? 'the beginning'} and ${b.to ?? 'now'}`;
}

function hasCredentials(ctx: Context): boolean {
  const o = ctx.options;
  const e = ctx.env;
  return Boolean(
    o.connectionString ||
    o.sas ||
    o.accountKey ||
    o.accountUrl ||
    e.AZURE_STORAGE_CONNECTION_STRING ||
    e.AZURE_STORAGE_SAS_TOKEN ||
    e.AZURE_STORAGE_KEY,
  );
}

/**
 * The blob as inspect would show it now (read-only), when the user gave a way to reach it. The SDK is
 * imported here, on this path only: loading it costs more start-up than a log search is allowed.
 */
async function readNow(target: Observed, ctx: Context): Promise<NowState | undefined> {
  const key = target.blobKey?.split('/');
  if (!key || key.length < 4) return undefined;
  const [{ blobClientOf, openTarget, parseRefOrThrow }, { readBlobState }, { buildInspectReport }, { retarget }] =
    await Promise.all([
      import('../azure/open-target.js'),
      import('../azure/read-blob-state.js'),
      import('../core/inspect-report.js'),
      import('../azure/retarget.js'),
    ]);
  const [, account, container, ...rest] = key;
  const base = target.url && URL.canParse(target.url) ? new URL(target.url) : undefined;
  // A request on a snapshot or a version is about that snapshot or version: keep the query that names it.
  const pointInTime = ['snapshot', 'versionid']
    .flatMap((k) => [...(base?.searchParams ?? [])].filter(([name]) => name.toLowerCase() === k))
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)[0];
  const url = base
    ? `${base.origin}${base.pathname}${pointInTime ? `?${pointInTime}` : ''}`
    : `https://${account}.blob.core.windows.net/${container}/${rest.join('/')}`;
  const access = accessOf(ctx);
  const ref = retarget(parseRefOrThrow(url), access.connection, access.env);
  const t = await openTarget(ref, access);
  const reading = await readBlobState(blobClientOf(t.service, ref), t.what);
  if (ref.snapshot && reading.state.exists) reading.state.snapshot = ref.snapshot;
  const {
    command: _c,
    version: _v,
    ...now
  } = buildInspectReport(reading, { url: t.url, container: ref.container, name: ref.name }, 'blob', t.plan.from);
  return now;
}

/** A logged URL that is no valid blob reference is a note; an unreachable or refusing account is still exit 3. */
function skipNow(err: unknown, notes: string[]): undefined {
  if (!(err instanceof CnmError) || err.code !== 'usage') throw err;
  notes.push(`the blob's current state was not read: ${err.message}`);
  return undefined;
}

function sourceArgs(capture: string | undefined, o: DiagnoseOptions): string[] {
  const args = sourceFlags(o);
  for (const [flag, v] of [
    ['--since', o.since],
    ['--until', o.until],
    ['--time', o.time],
  ] as const)
    if (v) args.push(flag, v);
  return capture ? [capture, ...args] : args;
}

export async function diagnose(capture: string | undefined, o: DiagnoseOptions, ctx: Context): Promise<DiagnoseReport> {
  const given = [...(capture ? [capture] : []), ...(o.logs ?? [])];
  const inputs = await inputFiles(given, ctx);
  try {
    const files = capture ? inputs.files.slice(1) : inputs.files;
    return await diagnoseFiles(
      capture ? inputs.files[0] : undefined,
      { ...o, ...(o.logs ? { logs: files } : {}) },
      ctx,
    );
  } finally {
    await inputs.cleanup();
  }
}

async function diagnoseFiles(capture: string | undefined, o: DiagnoseOptions, ctx: Context): Promise<DiagnoseReport> {
  const windowText = o.window ?? '5m';
  const window = parseDuration(windowText);
  if (!window.ok) throw usage(`--window: ${window.message}`);
  const bounds = boundsFrom(o);
  if (!capture && !o.requestId)
    throw usage(
      'give a request id (--request-id <id>) or a capture file',
      'cnm diagnose --request-id <x-ms-request-id> --logs <path…>',
    );
  if (!capture && !hasSource(o))
    throw usage('no source to search', 'add --logs <path…>, --analytics-logs or --workspace <id>');
  const id = o.requestId ?? (await idFromCapture(capture!));
  const req: SearchRequest = {
    id,
    bounds,
    windowMs: window.value,
    explicitFiles: capture ? [capture] : [],
    logs: o.logs ?? [],
    ...remoteSources(o),
  };
  const found = await searchSources(sourceIo(ctx), req);
  try {
    const { target } = pickTarget(found.observed, id);
    if (!target)
      throw new CnmError(
        'not-found',
        `request ${id} is in none of the sources searched (${found.summary.sources.join('; ')}) ${describeRange(bounds)}` +
          longLinesSkipped(found.scans) +
          othersSkipped(found.notes),
        {
          hint:
            'check the id (x-ms-request-id or x-ms-client-request-id), widen --since/--until, or remember ' +
            'logs can arrive up to an hour late',
        },
      );
    const more = await widen(found, target, window.value);
    const notes = [...found.notes];
    // The $logs container is listed by hour, capped at 72: say which older hours were left out.
    if (o.analyticsLogs) notes.push(...logHours(bounds).notes);
    const now =
      o.now || hasCredentials(ctx)
        ? await readNow(target, ctx).catch((err: unknown) => skipNow(err, notes))
        : undefined;
    const report = buildDiagnoseReport({
      version: VERSION,
      id,
      observed: [...found.observed, ...more],
      windowMs: window.value,
      window: windowText,
      searched: found.summary,
      now,
      sourceArgs: sourceArgs(capture, o),
      notes,
    });
    if (!report) throw new CnmError('internal', `request ${id} was found but could not be diagnosed`);
    return report;
  } finally {
    await found.cleanup();
  }
}
