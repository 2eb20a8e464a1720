/** HAR 1.2 (w3c.github.io/web-performance/specs/HAR/Overview.html) → the captures a command should look at. */
import { z } from 'zod';
import type { Capture } from '../core/types.js';
import { headersFromPairs } from './headers.js';
import { fail, joinPath, ok, type Issue, type ParseResult } from '../core/issue.js';
import { elementLines, jsonSyntaxErrorLine, lineOfJsonPath } from './json-locate.js';
import { selectCaptures } from './select.js';
import { byCodeUnits } from '../core/code-unit-order.js';

/**
 * A message's headers: absent is none, but a pair without a name or a value (or not a pair) is an error at its path —
 * dropping the list instead dropped the request's conditions, and the verdict was about another request.
 */
const pairs = z
  .array(
    z.object({
      name: z.string({ error: 'must be the header name, as text' }),
      value: z
        .union([z.string(), z.number(), z.boolean()], { error: 'must be the header value, as text' })
        .transform(String),
    }),
    { error: 'must be an array of {name, value} pairs' },
  )
  .optional()
  .transform((p) => p ?? []);

const entrySchema = z.object({
  startedDateTime: z.string().optional(),
  request: z.object({
    method: z.string().min(1),
    url: z.string().min(1),
    headers: pairs,
    postData: z.object({ text: z.string().optional() }).optional().catch(undefined),
  }),
  response: z
    .object({
      status: z.number(),
      headers: pairs,
      content: z.object({ text: z.string().optional() }).optional().catch(undefined),
    })
    .optional(),
});

const harSchema = z.object({
  log: z.object({
    version: z
      .string({ error: 'must be a HAR 1.x version, as text ("1.2")' })
      .regex(/^1\./, 'must be a HAR 1.x version')
      .optional(),
    entries: z.array(z.unknown(), { error: 'must be an array of entries' }),
  }),
});

export interface HarOptions {
  /** Keep the entries carrying this x-ms-request-id or x-ms-client-request-id; else the failed conditional ones. */
  requestId?: string;
  /** Keep every entry (for listing). */
  all?: boolean;
  file?: string;
}

export interface HarResult {
  captures: Capture[];
  /** Entries that are not valid HAR requests, each skipped. */
  skipped: number;
  /** What is wrong with each skipped entry, and where. */
  issues: Issue[];
}

function toIso(time: string | undefined): string | undefined {
  if (time === undefined || Number.isNaN(Date.parse(time))) return undefined;
  return new Date(time).toISOString();
}

function entryToCapture(raw: unknown, at: number, line: number | undefined, file?: string): Capture | Issue {
  const parsed = entrySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = joinPath(['log', 'entries', at, ...(issue?.path ?? [])]);
    return { file, line, path, message: issue?.message ?? 'not a HAR entry' };
  }
  const { request, response, startedDateTime } = parsed.data;
  const capture: Capture = {
    request: { method: request.method.toUpperCase(), url: request.url, headers: headersFromPairs(request.headers) },
    source: { kind: 'har', file, line },
  };
  const time = toIso(startedDateTime);
  if (time) capture.request.time = time;
  // Bodies are kept only for a Blob Batch, whose sub-requests live in the body (core/batch.ts).
  if (request.postData?.text && /[?&]comp=batch/i.test(request.url)) capture.request.body = request.postData.text;
  // Browsers write status 0 for a blocked or aborted request: there was no response.
  if (response && response.status > 0) {
    capture.response = { status: response.status, headers: headersFromPairs(response.headers) };
    if (capture.request.body !== undefined && response.content?.text) capture.response.body = response.content.text;
  }
  return capture;
}

/** Parses HAR text (a BOM is allowed) and picks entries as select.ts does; entries are sorted by time. */
export function parseHar(text: string, options: HarOptions = {}): ParseResult<HarResult> {
  const { file } = options;
  const body = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return fail(`not valid JSON (${(err as Error).message.split('\n')[0]})`, { file, line: jsonSyntaxErrorLine(body) });
  }
  const har = harSchema.safeParse(value);
  if (!har.success) {
    const issue = har.error.issues[0];
    const path = issue?.path ?? [];
    return fail(issue?.message ?? 'not a HAR file', {
      file,
      path: joinPath(path) || undefined,
      line: lineOfJsonPath(body, path as (string | number)[]),
    });
  }
  const all: Capture[] = [];
  const issues: Issue[] = [];
  const lines = elementLines(body, ['log', 'entries']);
  har.data.log.entries.forEach((raw, i) => {
    const read = entryToCapture(raw, i, lines[i], file);
    if ('request' in read) all.push(read);
    else issues.push(read);
  });
  // Times are ISO strings in UTC (toIso): for the years 0000–9999 their code-unit order is their order in time,
  // whatever the locale.
  all.sort((a, b) => byCodeUnits(a.request.time ?? '', b.request.time ?? ''));
  return ok({ captures: options.all ? all : selectCaptures(all, options.requestId), skipped: issues.length, issues });
}
