/**
 * `cnm replay` of a Blob Batch (`POST ?comp=batch`): each sub-request (Delete Blob, Set Blob Tier) is judged
 * against its own blob, with its own sub-response when the capture carries the 202's body. The batch's verdict is
 * batchVerdict's (core/replay-report.ts). Read-only: a batch is never re-sent.
 */
import { CnmError } from '../core/errors.js';
import { parseBatchRequest, parseBatchResponse, type SubRequest } from '../core/batch.js';
import { blobRefUrl } from '../core/blob-ref.js';
import { explainCapture } from '../core/explain-capture.js';
import { buildInspectReport, type InspectReport } from '../core/inspect-report.js';
import { classifyOperation } from '../core/operation.js';
import { redactCapture } from '../core/redact.js';
import { batchVerdict, buildReplayReport, type ReplayReport, type SubRequestReport } from '../core/replay-report.js';
import type { Capture } from '../core/types.js';
import { VERSION } from '../core/version.js';
import { openTarget, parseRefOrThrow, type Target } from '../azure/open-target.js';
import { readTargetState } from '../azure/read-target-state.js';
import { retarget } from '../azure/retarget.js';
import { accessOf, type Context } from './context.js';
import { mapLimit } from './map-limit.js';

/** State reads in flight at once: a batch holds up to 256 sub-requests. */
const READS_AT_ONCE = 8;

function subRequestsOf(capture: Capture, file: string): SubRequest[] {
  const parsed = parseBatchRequest(capture.request);
  if (!parsed.ok)
    throw new CnmError('input', `Blob Batch: ${parsed.message}`, {
      location: { file, path: 'request.body' },
      hint: 'a batch is judged from its multipart/mixed body: capture it with the body (request.body, or a HAR postData)',
    });
  return parsed.value;
}

async function judge(
  t: Target,
  ctx: Context,
  sub: SubRequest,
  recorded: Capture['response'],
): Promise<SubRequestReport> {
  const access = accessOf(ctx);
  const ref = retarget(parseRefOrThrow(sub.url), access.connection, access.env);
  const at: Target = { ...t, ref, url: blobRefUrl(ref, t.plan.endpoint), what: `blob ${ref.container}/${ref.name}` };
  const operation = classifyOperation(sub);
  const reading = await readTargetState(at, sub, operation);
  const capture: Capture = { request: sub, ...(recorded ? { response: recorded } : {}) };
  const report = buildReplayReport({
    version: VERSION,
    request: redactCapture(capture).request,
    evaluation: explainCapture(capture, reading.state),
    blob: buildInspectReport(reading, { url: at.url, container: ref.container, name: ref.name }, 'blob', t.plan.from),
    notes: reading.notes,
  });
  const { command: _c, version: _v, mode: _m, source: _s, ...rest } = report;
  return { index: sub.index, ...(sub.contentId !== undefined ? { contentId: sub.contentId } : {}), ...rest };
}

/** The batch's own report: its request, every sub-request's, and the first failing one's cause and fix. */
export async function replayBatch(
  capture: Capture,
  file: string,
  notes: string[],
  ctx: Context,
): Promise<ReplayReport> {
  const subs = subRequestsOf(capture, file);
  const responses = parseBatchResponse(capture.response);
  const access = accessOf(ctx);
  const t = await openTarget(retarget(parseRefOrThrow(subs[0]!.url), access.connection, access.env), access);
  const reports = await mapLimit(subs, READS_AT_ONCE, (sub, i) => judge(t, ctx, sub, responses[i]));
  const verdict = batchVerdict(reports);
  const failing = reports.find((r) => r.verdict === 'would-fail');
  const shown = redactCapture(capture).request;
  const batchBlob: InspectReport = {
    command: 'inspect',
    version: VERSION,
    target: 'container',
    blob: { url: shown.url, container: t.ref.container },
    exists: true,
    credential: t.plan.from,
    notes: [],
  };
  const counts = (['would-fail', 'undecided', 'would-succeed'] as const)
    .map((v) => `${reports.filter((r) => r.verdict === v).length} ${v}`)
    .join(', ');
  const report = buildReplayReport({
    version: VERSION,
    request: shown,
    requestId: capture.response?.headers['x-ms-request-id'],
    source: capture.source,
    evaluation: {
      operation: classifyOperation(capture.request),
      conditions: [],
      // The batch itself answers 202 whatever its sub-requests do; their failures are in the sub-responses.
      expected: { status: 202 },
      verdict,
      ...(capture.response ? { recorded: { status: capture.response.status } } : {}),
      ...(failing?.cause ? { cause: failing.cause } : {}),
      fix: failing ? failing.fix : [],
      notes: [
        `Blob Batch of ${reports.length} sub-request(s): ${counts}` +
          (failing
            ? `; sub-request ${failing.index} (${failing.request.operation}) answers ${failing.expected.status}`
            : ''),
      ],
    },
    blob: batchBlob,
    notes,
  });
  return { ...report, subRequests: reports };
}
