/**
 * The preflight jobs file (docs/formats.md): a JSON array or NDJSON of jobs, validated with zod. Pure and total: any
 * text gives jobs or one issue naming the line and JSON path (`[3].ifMatch`), never an exception.
 */
import { z } from 'zod';
import { badHeaderCharacters, MAX_HEADER_VALUE } from './headers.js';
import { fail, joinPath, ok, type Issue, type ParseResult } from '../core/issue.js';
import { elementLines, jsonSyntaxErrorLine, lineOfJsonPath } from './json-locate.js';
import { parseBlobRef } from '../core/blob-ref.js';
import { parseHttpDate } from '../core/http-date.js';
import { parseIfTags } from '../core/tag-expression.js';
import { JOB_OPERATIONS, resolveOperation, type JobConditions } from '../core/job-request.js';

export interface Job extends JobConditions {
  id: string;
  /** As written: a blob URL or `<container>/<name>`. */
  blob: string;
  /** Canonical REST operation name (`PutBlob` when the job names none). */
  operation: string;
  line?: number;
  /** JSON path of the job in an array file (`[2]`), so messages about one job can point at it; absent in NDJSON. */
  path?: string;
}

const KEYS = [
  'id',
  'blob',
  'ifMatch',
  'ifNoneMatch',
  'ifModifiedSince',
  'ifUnmodifiedSince',
  'leaseId',
  'ifTags',
  'operation',
];

const text = (what: string) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : `must be ${what}`) })
    .trim()
    .min(1, 'must not be empty')
    .max(
      MAX_HEADER_VALUE,
      `is longer than any request to Azure Storage carries (${MAX_HEADER_VALUE / 1024} KB at most here)`,
    );

/**
 * A value sent as a header of the read-only probe (its length bounded by `text`): characters no header can carry
 * were an internal error there.
 */
const headerText = (what: string) =>
  text(what).superRefine((s, ctx) => {
    const why = badHeaderCharacters(s);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });

const date = text('a date').refine(
  (s) => parseHttpDate(s).ok || (/^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s))),
  'must be an HTTP date (RFC 1123) or ISO 8601 time',
);

const jobSchema = z.strictObject(
  {
    id: z
      .union([z.string(), z.number()], { error: 'must be a string or a number' })
      .transform(String)
      .refine((s) => s.trim() !== '', 'must not be empty')
      .optional(),
    blob: text('a blob URL or <container>/<name>').superRefine((s, ctx) => {
      const ref = parseBlobRef(s);
      if (!ref.ok) ctx.addIssue({ code: 'custom', message: ref.message });
    }),
    ifMatch: headerText('an ETag string').optional(),
    ifNoneMatch: headerText('an ETag string').optional(),
    ifModifiedSince: date.optional(),
    ifUnmodifiedSince: date.optional(),
    leaseId: headerText('a lease id string').optional(),
    ifTags: headerText('a tags expression')
      .superRefine((s, ctx) => {
        const parsed = parseIfTags(s);
        if (!parsed.ok)
          ctx.addIssue({ code: 'custom', message: `not a valid x-ms-if-tags expression: ${parsed.issue.message}` });
      })
      .optional(),
    operation: text('an operation name')
      .refine((s) => resolveOperation(s) !== undefined, {
        message: `unknown operation (expected one of ${JOB_OPERATIONS.join(', ')}, or write/read/delete)`,
      })
      .optional(),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown key ${iss.keys.map((k) => `"${k}"`).join(', ')} (a job has ${KEYS.join(', ')})`
        : 'must be a job object {"blob", "ifMatch"?, …}',
  },
);

type RawJob = z.infer<typeof jobSchema>;

function toJob(raw: RawJob, fallbackId: string, line: number | undefined, path?: string): Job {
  const { id, operation, ...rest } = raw;
  const conditions = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as unknown as Omit<
    Job,
    'id' | 'operation'
  >;
  return {
    ...conditions,
    id: id ?? fallbackId,
    operation: resolveOperation(operation)!,
    ...(line !== undefined ? { line } : {}),
    ...(path ? { path } : {}),
  };
}

/** `[3].blob` for an array element, `blob` for an NDJSON line. */
function pathText(prefix: number | undefined, path: readonly PropertyKey[]): string | undefined {
  const rest = joinPath(path);
  if (prefix === undefined) return rest || undefined;
  return `[${prefix}]${rest ? `.${rest}` : ''}`;
}

function validate(value: unknown, where: { index?: number; line?: number; file?: string }): ParseResult<RawJob> {
  const result = jobSchema.safeParse(value);
  if (result.success) return ok(result.data);
  const first = result.error.issues[0];
  return fail(first?.message ?? 'invalid job', {
    file: where.file,
    line: where.line,
    path: pathText(where.index, first?.path ?? []),
  });
}

function parseArray(body: string, value: unknown[], file: string | undefined, name: string): ParseResult<Job[]> {
  const lines = elementLines(body, []);
  const jobs: Job[] = [];
  for (let i = 0; i < value.length; i++) {
    const r = validate(value[i], { index: i, file, line: lines[i] });
    if (!r.ok) {
      const path = (r.issue.path ?? `[${i}]`)
        .replace(/^\[\d+\]\.?/, '')
        .split('.')
        .filter(Boolean);
      const line = lineOfJsonPath(body, [i, ...path.map((k) => (/^\d+$/.test(k) ? Number(k) : k))]) ?? lines[i];
      return { ok: false, issue: { ...r.issue, line } };
    }
    jobs.push(toJob(r.value, `${name}#${i + 1}`, lines[i], `[${i}]`));
  }
  return uniqueIds(jobs, file, (i) => ({ line: lines[i], path: `[${i}].id` }));
}

/**
 * A job's id names it in every report and annotation: two jobs with one id (`1` and `"1"` too) would be told
 * apart by nothing. The second is the issue.
 */
function uniqueIds(
  jobs: Job[],
  file: string | undefined,
  where: (index: number) => { line?: number; path?: string },
): ParseResult<Job[]> {
  const seen = new Map<string, number>();
  for (const [i, job] of jobs.entries()) {
    const first = seen.get(job.id);
    if (first !== undefined)
      return fail(`id "${job.id}" is the id of another job too (job ${first + 1})`, { file, ...where(i) });
    seen.set(job.id, i);
  }
  return ok(jobs);
}

function parseNdjson(body: string, file: string | undefined, name: string): ParseResult<Job[]> {
  const jobs: Job[] = [];
  const rows = body.split(/\r?\n/);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.trim();
    if (row === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch {
      return fail('not a JSON object (NDJSON expects one job object per line)', { file, line: i + 1 });
    }
    const r = validate(value, { file, line: i + 1 });
    if (!r.ok) return r;
    jobs.push(toJob(r.value, `${name}:${i + 1}`, i + 1));
  }
  return uniqueIds(jobs, file, (i) => ({ line: jobs[i]!.line, path: 'id' }));
}

const EXPECTED = 'expected a JSON array of jobs or NDJSON with one job object per line (see docs/formats.md)';

/** Parses a jobs file's text. `file` names it in issues and in default job ids (`jobs.json#3`, `jobs.ndjson:3`). */
export function parseJobs(input: string, file?: string): ParseResult<Job[]> {
  const body = input.replace(/^\uFEFF/, '');
  const name = file ? (file.split(/[\\/]/).pop() ?? file) : 'job';
  const trimmed = body.trim();
  // An empty file is a broken CI step (a generator that wrote nothing), not "no pending jobs": a gate that
  // passes on it checks nothing. `[]` is the way to say "no jobs" on purpose.
  if (trimmed === '') return fail('the jobs file is empty', { file });
  if (trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (err) {
      return fail(`not valid JSON (${(err as Error).message.split('\n')[0]})`, {
        file,
        line: jsonSyntaxErrorLine(body),
      });
    }
    return parseArray(body, value as unknown[], file, name);
  }
  if (!trimmed.startsWith('{')) return fail(`unrecognised content: ${EXPECTED}`, { file, line: 1 });
  return parseWholeObjectOrNdjson(body, file, name);
}

/** One pretty-printed object spans lines: accept it as a single job rather than fail on its first line. */
function parseWholeObjectOrNdjson(body: string, file: string | undefined, name: string): ParseResult<Job[]> {
  let whole: unknown;
  try {
    whole = JSON.parse(body);
  } catch {
    return parseNdjson(body, file, name);
  }
  if (whole && typeof whole === 'object' && 'request' in whole) {
    return fail('this is a capture, not a jobs file: put captures in a folder and pass the folder', { file, line: 1 });
  }
  const r = validate(whole, { file, line: 1 });
  if (!r.ok) {
    const line = r.issue.path ? lineOfJsonPath(body, r.issue.path.split('.')) : 1;
    return { ok: false, issue: { ...r.issue, line: line ?? 1 } satisfies Issue };
  }
  return ok([toJob(r.value, `${name}:1`, 1)]);
}
