/**
 * Reads any capture-ish file by content (SPEC §4): capture JSON, HAR, NDJSON of captures, Azure SDK log,
 * Azurite debug log. Whole-document formats are read whole; line formats are streamed.
 */
import type { Capture } from '../core/types.js';
import { createAzuriteLogParser } from '../parse/azurite-log.js';
import { parseCaptureJson, parseCaptureLine } from '../parse/capture.js';
import { detectFormat } from '../parse/detect-format.js';
import { parseHar } from '../parse/har.js';
import { createSdkLogParser } from '../parse/sdk-log.js';
import { matchesRequestId, selectCaptures } from '../parse/select.js';
import type { ParseResult, SourceFormat } from '../parse/types.js';
import type { LineStreamOptions } from '../io/line-stream.js';
import { readDocumentText, readHead, runLineParser, statelessParser, toFileIssue, type Collected, type FileIssue } from './source-helpers.js';

export type { FileIssue } from './source-helpers.js';

export type CaptureFormat = Extract<SourceFormat, 'capture' | 'ndjson' | 'har' | 'sdk-log' | 'azurite-log'>;

export interface ReadCaptureOptions extends LineStreamOptions {
  /** Keep captures carrying this x-ms-request-id / x-ms-client-request-id. */
  requestId?: string;
  /** Keep every capture of a HAR/SDK/Azurite log instead of only the failed conditional ones. */
  all?: boolean;
}

export type ReadCaptureResult =
  | { ok: true; format: CaptureFormat; captures: Capture[]; skipped: number; issues: FileIssue[] }
  | { ok: false; issue: FileIssue };

const LOG_ONLY: Partial<Record<SourceFormat, string>> = {
  'analytics-log': 'is a Storage Analytics $logs file',
  'resource-log': 'is an Azure Monitor resource log',
};

const EXPECTED = 'expected a capture JSON (SPEC §4), HAR 1.2, NDJSON of captures, an Azure SDK log or an Azurite --debug log';

/** Pick per SPEC §4: logs and HAR are narrowed to the request id or the failed conditional requests. */
function narrow(format: CaptureFormat, captures: Capture[], options: ReadCaptureOptions): Capture[] {
  if (format === 'capture' || format === 'har') return captures;
  if (format === 'ndjson' || options.all) return options.requestId ? captures.filter((c) => matchesRequestId(c, options.requestId!)) : captures;
  return selectCaptures(captures, options.requestId);
}

async function readWhole(file: string, format: 'capture' | 'har', options: ReadCaptureOptions): Promise<Collected<Capture> | FileIssue> {
  const read = await readDocumentText(file, format === 'har' ? 'a HAR file' : 'a capture JSON');
  if (!read.ok) return read.issue;
  const text = read.text;
  if (format === 'capture') {
    const result = parseCaptureJson(text, file);
    return result.ok ? { values: [result.value], skipped: 0, issues: [] } : toFileIssue(file, result.issue);
  }
  const result = parseHar(text, { file, requestId: options.requestId, all: options.all });
  if (!result.ok) return toFileIssue(file, result.issue);
  return { values: result.value.captures, skipped: result.value.skipped, issues: [] };
}

/** Line formats are narrowed as they are parsed: a capture not picked is dropped at once, not kept to the end. */
function readLinesOf(file: string, format: 'ndjson' | 'sdk-log' | 'azurite-log', options: ReadCaptureOptions): Promise<Collected<Capture>> {
  const parser =
    format === 'sdk-log' ? createSdkLogParser(file)
    : format === 'azurite-log' ? createAzuriteLogParser(file)
    : statelessParser((line, lineNo) => parseCaptureLine(line, lineNo, file));
  const picked = (results: ParseResult<Capture>[]) => results.filter((r) => !r.ok || narrow(format, [r.value], options).length > 0);
  return runLineParser(file, { push: (line, lineNo) => picked(parser.push(line, lineNo)), end: () => picked(parser.end()) }, options);
}

/** Never throws for a bad file: unreadable, empty, unrecognised or invalid input is an issue. */
export async function readCaptureFile(file: string, options: ReadCaptureOptions = {}): Promise<ReadCaptureResult> {
  const head = await readHead(file);
  if (!head.ok) return head;
  const format = detectFormat(head.head);
  if (format === undefined) return { ok: false, issue: { file, message: `unrecognised content: ${EXPECTED}` } };
  const logOnly = LOG_ONLY[format];
  if (logOnly) return { ok: false, issue: { file, message: `${logOnly}, not a capture: pass it to diagnose with --logs` } };
  const captureFormat = format as CaptureFormat;
  try {
    const read =
      captureFormat === 'capture' || captureFormat === 'har'
        ? await readWhole(file, captureFormat, options)
        : await readLinesOf(file, captureFormat, options);
    if (!('values' in read)) return { ok: false, issue: read };
    const captures = narrow(captureFormat, read.values, options);
    return { ok: true, format: captureFormat, captures, skipped: read.skipped, issues: read.issues };
  } catch (err) {
    return { ok: false, issue: { file, message: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` } };
  }
}
