/**
 * A captured request + its recorded response, judged against a blob state: the evaluation, corrected by what
 * the service actually said. Two causes only a capture can show: the conditions hold now although the request
 * failed (a race), and a ranged GET that failed on an If-Match the SDK added itself (BlobClient.download resumes
 * with `ifMatch: options.conditions.ifMatch || res.etag`, Azure/azure-sdk-for-js
 * sdk/storage/storage-blob/src/Clients.ts).
 */
import { causeInfo, causeReport } from './causes.js';
import { isRangedRead } from './cause-from-response.js';
import { evaluateConditions, type Evaluation } from './evaluate.js';
import type { Capture } from './types.js';

const CONDITIONAL_FAILURES = new Set([304, 409, 412]);

function recordedOf(capture: Capture): Evaluation['recorded'] {
  if (!capture.response) return undefined;
  const headers = Object.fromEntries(Object.entries(capture.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const errorCode = headers['x-ms-error-code'];
  return { status: capture.response.status, ...(errorCode ? { errorCode } : {}) };
}

function raceExplained(ev: Evaluation, recorded: NonNullable<Evaluation['recorded']>): Evaluation {
  const answered = `${recorded.status}${recorded.errorCode ? ` ${recorded.errorCode}` : ''}`;
  return {
    ...ev,
    cause: causeReport('conditions-hold-now', {
      explanation:
        `The service answered ${answered}, but against the current state every condition holds. ` +
        `${causeInfo['conditions-hold-now'].explanation}`,
    }),
    fix: [...causeInfo['conditions-hold-now'].fix],
  };
}

function sdkPinned(ev: Evaluation): Evaluation {
  return {
    ...ev,
    cause: causeReport('sdk-injected-if-match', {
      header: 'if-match',
      explanation:
        `${ev.cause?.explanation ?? ''} On a ranged GET this If-Match is usually not yours: ` +
        `${causeInfo['sdk-injected-if-match'].explanation} (Clients.ts: \`ifMatch: options.conditions.ifMatch ` +
        `|| res.etag\`).`.trim(),
    }),
    fix: [...causeInfo['sdk-injected-if-match'].fix],
  };
}

/** Explains a capture against `state` (the blob now, or at the time of failure). */
export function explainCapture(capture: Capture, state: Parameters<typeof evaluateConditions>[1]): Evaluation {
  const ev = evaluateConditions(capture.request, state);
  const recorded = recordedOf(capture);
  const withRecorded: Evaluation = recorded ? { ...ev, recorded } : ev;
  if (ev.verdict === 'would-fail') {
    if (ev.cause?.code === 'stale-etag' && ev.cause.header === 'if-match' && isRangedRead(capture.request))
      return sdkPinned(withRecorded);
    if (
      recorded &&
      (recorded.status !== ev.expected.status ||
        (recorded.errorCode !== undefined && recorded.errorCode !== ev.expected.errorCode))
    ) {
      withRecorded.notes = [
        ...ev.notes,
        `the service answered ${recorded.status} ${recorded.errorCode ?? ''} then; against this state it would ` +
          `answer ${ev.expected.status} ${ev.expected.errorCode ?? ''}`.replace(/ +/g, ' ').trim(),
      ];
    }
    return withRecorded;
  }
  // Undecided is not a race: a condition that could not be checked may be the one that failed.
  if (ev.verdict === 'would-succeed' && recorded && CONDITIONAL_FAILURES.has(recorded.status))
    return raceExplained(withRecorded, recorded);
  return withRecorded;
}
