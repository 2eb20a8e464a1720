/**
 * `cnm replay <capture>`: which of a captured request's conditions fail now, and why. Read-only unless
 * --execute; --refresh shows (and with --execute sends) the read-refresh-write version, once.
 */
import { readFile } from 'node:fs/promises';
import { CnmError } from '../core/errors.js';
import { accessOf, type Context } from './context.js';
import { inputFiles } from './input-files.js';
import { explainCapture } from '../core/explain-capture.js';
import { parseIfTags } from '../core/tag-expression.js';
import { classifyOperation } from '../core/operation.js';
import { redactCapture, redactHeaders, redactUrl } from '../core/redact.js';
import { refreshConditions } from '../core/refresh.js';
import { buildInspectReport } from '../core/inspect-report.js';
import { buildReplayReport, type ReplayReport } from '../core/replay-report.js';
import type { Capture } from '../core/types.js';
import { openTarget } from '../azure/open-target.js';
import { parseBlobRef, type BlobRef } from '../core/blob-ref.js';
import { readTargetState } from '../azure/read-target-state.js';
import { prepareSend, sendCaptured } from '../azure/send-captured.js';
import { invalidSkipped, readCaptureFile } from '../logs/read-capture-file.js';
import { VERSION } from '../core/version.js';
import { retarget } from '../azure/retarget.js';
import { replayBatch } from './replay-batch.js';

export interface ReplayOptions {
  requestId?: string;
  execute?: boolean;
  refresh?: boolean;
  body?: string;
}

/** Operations that carry content: re-sending them without it would write an empty blob or block. */
const BODY_OPS = new Set(['PutBlob', 'PutBlock', 'AppendBlock', 'PutPage', 'PutBlockList']);

async function loadCapture(
  file: string,
  options: ReplayOptions,
  ctx: Context,
): Promise<{ capture: Capture; notes: string[] }> {
  const read = await readCaptureFile(file, { requestId: options.requestId });
  if (!read.ok) {
    const { message, ...location } = read.issue;
    throw new CnmError('input', message, { location });
  }
  if (read.captures.length === 0) {
    throw new CnmError(
      'input',
      (options.requestId ? `no request with id ${options.requestId}` : 'no failed conditional request in it') +
        invalidSkipped(read),
      {
        location: { file },
        hint: options.requestId
          ? 'check the id (x-ms-request-id or x-ms-client-request-id)'
          : 'pick one with --request-id',
      },
    );
  }
  if (read.captures.length > 1 && !ctx.options.quiet) {
    ctx.stderr(
      `cnm: ${read.captures.length} candidate requests in ${file}; replaying the first — choose with --request-id`,
    );
  }
  const notes =
    read.issues.length > 0
      ? [
          `${read.skipped} unreadable line(s) of ${file} ` +
            `skipped${read.issues[0] ? `, the first at ${read.issues[0].line ? `line ${read.issues[0].line}` : 'its start'}: ${read.issues[0].message}` : ''}`,
        ]
      : [];
  return { capture: read.captures[0]!, notes };
}

async function bodyFor(capture: Capture, operation: string, options: ReplayOptions): Promise<Uint8Array | undefined> {
  if (options.body) {
    try {
      return await readFile(options.body);
    } catch (err) {
      throw new CnmError('input', `cannot read --body: ${(err as Error).message}`, {
        location: { file: options.body },
      });
    }
  }
  const length = Number(capture.request.headers['content-length'] ?? NaN);
  if (BODY_OPS.has(operation) && !(length === 0)) {
    throw new CnmError(
      'usage',
      `${operation} carried a body${Number.isFinite(length) ? ` of ${length} bytes` : ''}; refusing to send it without one`,
      {
        hint: 'pass --body <file> with the content to write (cnm will not write an empty blob)',
      },
    );
  }
  return undefined;
}

/**
 * The blob the capture's URL names; a URL that names none is an input error at request.url of the file (the
 * command-line hint "use a blob URL or <container>/<name>" named the wrong thing).
 */
function captureRef(capture: Capture, file: string, container: boolean): BlobRef {
  const parsed = parseBlobRef(capture.request.url, { container });
  if (parsed.ok) return parsed.value;
  throw new CnmError('input', parsed.message, {
    location: { file, line: capture.source?.line, path: 'request.url' },
    hint: 'a capture names the blob (or container) it was sent to by its full URL',
  });
}

/** x-ms-if-tags with bad syntax is the capture's fault, not a finding: an input error naming the header. */
function checkIfTags(capture: Capture, file: string): void {
  for (const header of ['x-ms-if-tags', 'x-ms-source-if-tags']) {
    const text = capture.request.headers[header];
    if (text === undefined) continue;
    const parsed = parseIfTags(text);
    if (!parsed.ok) {
      throw new CnmError(
        'input',
        `${header} is not a valid tag condition: ${parsed.issue.message} (at character ${parsed.issue.position + 1})`,
        {
          location: { file, path: `request.headers.${header}` },
          hint: parsed.issue.limit
            ? 'cnm does not evaluate an expression this large (a blob carries at most 10 tags); Azure documents no limit'
            : 'Azure would reject it with 400 before any condition is judged; the syntax is "key" = \'value\' joined by AND/OR',
        },
      );
    }
  }
}

/** A 5xx after a send: Azure may have applied the request before failing (500 OperationTimedOut does). */
function serverErrorNote(status: number, ref: { container: string; name?: string }): string {
  const what = ref.name ? `${ref.container}/${ref.name}` : `--container ${ref.container}`;
  return (
    `Azure answered ${status}; cnm sent the request once and did not retry it. It may have been applied: ` +
    `check with \`cnm inspect ${what}\` before sending it again`
  );
}

export async function replay(file: string, options: ReplayOptions, ctx: Context): Promise<ReplayReport> {
  const inputs = await inputFiles(options.body ? [file, options.body] : [file], ctx);
  try {
    return await replayFile(inputs.files[0]!, { ...options, body: inputs.files[1] }, ctx);
  } finally {
    await inputs.cleanup();
  }
}

async function replayFile(file: string, options: ReplayOptions, ctx: Context): Promise<ReplayReport> {
  if (options.body && !options.execute) {
    throw new CnmError('usage', '--body is sent only with --execute', {
      hint: 'add --execute to re-send the request with it, or drop --body',
    });
  }
  const { capture, notes: readNotes } = await loadCapture(file, options, ctx);
  checkIfTags(capture, file);
  const operation = classifyOperation(capture.request);
  if (operation.name === 'SubmitBatch') {
    if (options.execute || options.refresh)
      throw new CnmError('usage', 'a Blob Batch is judged, never re-sent: --execute and --refresh do not apply', {
        hint: 'replay without them; to re-send one sub-request, capture it on its own',
      });
    return replayBatch(capture, file, readNotes, ctx);
  }
  const body = options.execute ? await bodyFor(capture, operation.name, options) : undefined;
  const access = accessOf(ctx);
  const ref = retarget(captureRef(capture, file, operation.target === 'container'), access.connection, access.env);
  const t = await openTarget(ref, access);
  const reading = await readTargetState(t, capture.request, operation);
  const evaluation = explainCapture(capture, reading.state);
  const shown = redactCapture(capture);
  const report = buildReplayReport({
    version: VERSION,
    request: shown.request,
    requestId: capture.response?.headers['x-ms-request-id'],
    source: capture.source,
    evaluation,
    blob: buildInspectReport(
      reading,
      { url: t.url, container: ref.container, name: ref.name },
      operation.target,
      t.plan.from,
    ),
    notes: [...readNotes, ...reading.notes],
  });
  let toSend = capture.request;
  if (options.refresh) {
    const refreshed = refreshConditions(capture.request, reading.state);
    report.refresh = {
      changes: refreshed.changes,
      headers: redactHeaders(refreshed.request.headers),
      notes: refreshed.notes,
    };
    toSend = refreshed.request;
  }
  if (!options.execute) return report;
  const once = t.sendOnce();
  const client = ref.name
    ? once.getContainerClient(ref.container).getBlobClient(ref.name)
    : once.getContainerClient(ref.container);
  const prepared = prepareSend(toSend, client.url, body?.length);
  const sent = { method: prepared.method, url: redactUrl(prepared.url), headers: redactHeaders(prepared.headers) };
  ctx.stderr(
    `cnm: sending once, signed with ${t.plan.from}: ${sent.method} ${sent.url} ${JSON.stringify(sent.headers)}`,
  );
  if (prepared.dropped.length) ctx.stderr(`cnm: not re-sent (redacted in the capture): ${prepared.dropped.join(', ')}`);
  const actual = await sendCaptured(client, prepared, body);
  const notes = actual.status >= 500 ? [...report.notes, serverErrorNote(actual.status, ref)] : report.notes;
  return {
    ...report,
    notes,
    mode: 'execute',
    sent,
    actual: { status: actual.status, errorCode: actual.errorCode, requestId: actual.requestId },
  };
}
