/** Rendering context shared by the table and markdown renderers. */
import type { ChalkInstance } from 'chalk';

export interface RenderStyle {
  chalk: ChalkInstance;
  /** Columns the tables must fit (COLUMNS, else the terminal's); undefined: not a terminal (layout.ts's default). */
  width?: number;
}

/** Longer cell text than this is shortened in tables and markdown; JSON always has the whole value. */
const MAX_SHOWN = 300;

/** Text past MAX_SHOWN, shortened to its start and a note of how long it was. */
export function clip(text: string): string {
  if (text.length <= MAX_SHOWN) return text;
  return `${text.slice(0, MAX_SHOWN - 60)}… (${text.length} characters; --json has the whole value)`;
}

/** Values as a person reads them: absent → "—", objects as key=value lists, long text shortened. */
export function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return clip(entries.length === 0 ? '(none)' : entries.map(([k, v]) => `${k}=${String(v)}`).join(', '));
  }
  return clip(typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * Text for markdown outside a code span, shown as it is: log fields (a user agent, a caller) are anyone's to write, and
 * one holding `<img src=…>` or `[link](…)` would be an image or a link in the PR or incident it is pasted into.
 * Markdown's punctuation is backslash-escaped (CommonMark §2.4: it then renders as itself), `|` too for tables, `&`
 * too (`&lt;` in a blob name would render as `<`), and a line break becomes `<br>`.
 */
export function mdEscape(text: string): string {
  return text.replace(/[\\`*_[\]<>~|&]/g, '\\$&').replace(/\r?\n/g, '<br>');
}

/** The longest run of backticks in `text` (0 for none): a fence must be longer to hold it. */
function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
}

/**
 * A markdown code span holding `text` as it is (CommonMark §6.1): fenced by one more backtick than the longest run in
 * it, padded with a space when it starts or ends with one, so a backtick in a log field cannot end the span early and
 * let what follows render. Line breaks become spaces (a span turns them into spaces anyway; a table row would end).
 * In a table `cell`, `|` is escaped: GFM reads `\|` there even inside a span, and anywhere else would show it.
 */
export function mdSpan(text: string, cell = false): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const body = cell ? flat.replace(/\|/g, '\\|') : flat;
  const fence = '`'.repeat(longestBacktickRun(body) + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A fenced code block of `text` (one line or several), fenced longer than any backtick run in it (CommonMark §4.5). */
export function mdFence(lang: string, text: string): string[] {
  const fence = '`'.repeat(Math.max(2, longestBacktickRun(text)) + 1);
  return [`${fence}${lang}`, ...text.split(/\r?\n/), fence];
}

/** An HTTP answer as Azure names it: "412 ConditionNotMet". */
export function outcome(status: number, code?: string): string {
  return `${status}${code ? ` ${code}` : ''}`;
}
