/** The capture format (`request.json`, docs/formats.md), validated with zod, plus NDJSON of the same objects. */
import { z } from 'zod';
import type { Capture, SourceLocation } from '../core/types.js';
import { lowerCaseHeaders, MAX_HEADERS } from './headers.js';
import { fail, joinPath, ok, type ParseResult } from '../core/issue.js';
import { jsonSyntaxErrorLine, lineOfJsonPath } from './json-locate.js';

function typeError(expected: string) {
  return (iss: { input: unknown }) => (iss.input === undefined ? 'is required' : `must be ${expected}`);
}

/**
 * A header value is a string. An array of strings is one header sent more than once, as Node's
 * `IncomingMessage.headersDistinct` and some proxies' dumps write it; it is joined with ", " as HTTP does
 * (RFC 9110 §5.3). Anything else (`"If-Match": 5`) is more likely a mistake than a value: an issue, not a guess.
 */
const headerValue = z.union([z.string(), z.array(z.string())], {
  error: 'must be a string (or an array of strings for a repeated header)',
});

/**
 * Counted before zod reads them (headers.ts MAX_HEADERS): validating 1.5 million headers into a record first took 7 s
 * and 600 MB to refuse a 24 MB capture.
 */
const fewHeaders = z.custom<unknown>(
  (h) => h === null || typeof h !== 'object' || Array.isArray(h) || Object.keys(h).length <= MAX_HEADERS,
  { message: `holds more headers than any request carries (${MAX_HEADERS} at most here)`, abort: true },
);

const headersSchema = fewHeaders
  .optional()
  .pipe(z.record(z.string(), headerValue, { error: typeError('an object of header names to values') }).nullish())
  .transform((h) => lowerCaseHeaders(h));

/** The methods Blob Storage (and Data Lake, PATCH) answers; anything else is no request cnm can evaluate. */
const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH'];

const isoTime = z
  .string({ error: typeError('an ISO 8601 time') })
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time')
  .transform((s) => new Date(s).toISOString());

const requestSchema = z.object(
  {
    method: z
      .string({ error: typeError('a string') })
      .trim()
      .min(1, 'must not be empty')
      .transform((m) => m.toUpperCase())
      .refine((m) => METHODS.includes(m), `must be an HTTP method Blob Storage uses (${METHODS.join(', ')})`),
    url: z
      .string({ error: typeError('a string') })
      .refine((u) => URL.canParse(u), 'must be an absolute URL (https://account.blob.core.windows.net/container/blob)'),
    headers: headersSchema,
    time: isoTime.optional(),
    body: z.string({ error: typeError('a string') }).optional(),
  },
  { error: typeError('an object') },
);

const STATUS = 'must be an HTTP status code (a whole number from 100 to 599)';

const statusSchema = z
  .union([z.number(), z.string().regex(/^\d+$/).transform(Number)], { error: STATUS })
  .pipe(z.number({ error: STATUS }).int(STATUS).min(100, STATUS).max(599, STATUS));

const responseSchema = z.object(
  { status: statusSchema, headers: headersSchema, body: z.string({ error: typeError('a string') }).optional() },
  { error: typeError('an object') },
);

export const captureSchema = z.object(
  { request: requestSchema, response: responseSchema.optional() },
  { error: 'must be a capture object {"request": {"method", "url", "headers"}, "response"?}' },
);

/** Validates an already-parsed capture object. `where` goes into the issue and into `capture.source`. */
export function parseCapture(value: unknown, where: SourceLocation = { kind: 'capture' }): ParseResult<Capture> {
  const result = captureSchema.safeParse(value);
  if (!result.success) {
    const first = result.error.issues[0];
    return fail(first?.message ?? 'invalid capture', {
      file: where.file,
      line: where.line,
      path: joinPath(first?.path ?? []) || undefined,
    });
  }
  const { request, response } = result.data;
  const capture: Capture = { request: dropUndefined(request), source: where };
  if (response) capture.response = dropUndefined(response);
  return ok(capture);
}

function dropUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** A whole `request.json`: JSON errors and schema issues name the line where they are. */
export function parseCaptureJson(text: string, file?: string): ParseResult<Capture> {
  const body = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return fail(`not valid JSON (${(err as Error).message.split('\n')[0]})`, { file, line: jsonSyntaxErrorLine(body) });
  }
  const result = parseCapture(value, { kind: 'capture', file });
  if (result.ok || result.issue.path === undefined) return result;
  const line = lineOfJsonPath(
    body,
    result.issue.path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
  );
  return { ok: false, issue: { ...result.issue, line } };
}

/** One NDJSON line holding one capture object. */
export function parseCaptureLine(line: string, lineNo: number, file?: string): ParseResult<Capture> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return fail('not a JSON object (NDJSON expects one capture object per line)', { file, line: lineNo });
  }
  return parseCapture(value, { kind: 'ndjson', file, line: lineNo });
}
