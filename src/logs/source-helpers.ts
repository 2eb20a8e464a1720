/** Shared steps of reading an input file: its first bytes for format detection, and line parsers run over it. */
import { open, readFile, stat } from 'node:fs/promises';
import type { FileIssue, Issue } from '../core/issue.js';
import type { LineParser, ParseResult } from '../parse/types.js';
import { readLines, type LineStreamOptions } from '../io/line-stream.js';

export type { FileIssue } from '../core/issue.js';

export const HEAD_BYTES = 64 * 1024;
/** Issues kept for messages; `skipped` still counts all of them. */
const MAX_KEPT_ISSUES = 20;

export function toFileIssue(file: string, issue: Issue): FileIssue {
  const out: FileIssue = { file, message: issue.message };
  if (issue.line !== undefined) out.line = issue.line;
  if (issue.path !== undefined) out.path = issue.path;
  return out;
}

function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file';
  if (e.code === 'EISDIR') return 'is a directory, not a file';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  return `cannot read (${e.code ?? e.message})`;
}

/** The first bytes of `file` as text, or an issue when it is unreadable or empty. */
export async function readHead(file: string): Promise<{ ok: true; head: string } | { ok: false; issue: FileIssue }> {
  try {
    const handle = await open(file, 'r');
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
      const head = buf.toString('utf8', 0, bytesRead);
      if (head.replace(/^\uFEFF/, '').trim() === '') return { ok: false, issue: { file, message: 'file is empty' } };
      return { ok: true, head };
    } finally {
      await handle.close();
    }
  } catch (err) {
    return { ok: false, issue: { file, message: describeError(err) } };
  }
}

export interface Collected<T> {
  values: T[];
  skipped: number;
  issues: FileIssue[];
}

export function collector<T>(): Collected<T> & { add(results: ParseResult<T>[], file: string): void } {
  return {
    values: [],
    skipped: 0,
    issues: [],
    add(results, file) {
      for (const r of results) {
        if (r.ok) this.values.push(r.value);
        else if (++this.skipped <= MAX_KEPT_ISSUES) this.issues.push(toFileIssue(file, r.issue));
      }
    },
  };
}

/** Streams `file` through a line parser; blank lines are not records and are not counted. */
export async function runLineParser<T>(file: string, parser: LineParser<T>, options: LineStreamOptions = {}): Promise<Collected<T>> {
  const out = collector<T>();
  for await (const { line, lineNo } of readLines(file, options)) {
    if (line.trim() !== '') out.add(parser.push(line, lineNo), file);
  }
  out.add(parser.end(), file);
  return { values: out.values, skipped: out.skipped, issues: out.issues };
}

/** Wraps a one-line-one-record parse function as a LineParser. */
export function statelessParser<T>(parse: (line: string, lineNo: number) => ParseResult<T>): LineParser<T> {
  return { push: (line, lineNo) => [parse(line, lineNo)], end: () => [] };
}

/** Whole JSON documents (HAR, capture JSON, resource-log arrays) above this are refused, not risked in memory. */
export function maxDocumentBytes(): number {
  const mb = Number(process.env.CNM_MAX_DOCUMENT_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 256) * 2 ** 20;
}

/** The text of a JSON document read whole, or an issue when it is larger than `maxDocumentBytes()`. */
export async function readDocumentText(file: string, what: string): Promise<{ ok: true; text: string } | { ok: false; issue: FileIssue }> {
  const { size } = await stat(file);
  const max = maxDocumentBytes();
  if (size > max) {
    const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
    return { ok: false, issue: { file, message: `${what} of ${mb(size)} is too large to read whole (limit ${mb(max)}, CNM_MAX_DOCUMENT_MB): split it, or convert it to one record a line` } };
  }
  return { ok: true, text: await readFile(file, 'utf8') };
}
