/**
 * Parse results as data: a parser never throws on bad input, it returns an issue that names
 * where the problem is, so the CLI can print `file:line path.to.field: message` and exit 2.
 */

/** Where bad input was found: printed as `file:line path: message`. */
export interface InputLocation {
  file?: string;
  line?: number;
  /** JSON path of the offending field, dot-separated (`request.url`, `log.entries.3.request`). */
  path?: string;
}

/** One problem with an input, and where it is. */
export interface Issue extends InputLocation {
  message: string;
}

/** A problem with a whole file (unreadable, empty, unrecognised) or a place in it. */
export interface FileIssue extends Issue {
  file: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issue: Issue };

export function ok<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(message: string, where: Omit<Issue, 'message'> = {}): ParseResult<T> {
  return { ok: false, issue: { ...where, message } };
}

/** `file:line path.to.field: message`; parts that are unknown are left out. */
export function formatIssue(issue: Issue): string {
  const place = [issue.file, issue.line].filter((p) => p !== undefined && p !== '').join(':');
  const where = [place, issue.path].filter(Boolean).join(' ');
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** Joins a zod/JSON path (`['request', 'headers', 0]`) the way issues print it. */
export function joinPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}
