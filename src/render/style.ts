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
 * Markdown's punctuation is backslash-escaped (CommonMark §2.4: it then renders as itself), `|` too for tables, and a
 * line break becomes `<br>`.
 */
export function mdEscape(text: string): string {
  return text.replace(/[\\`*_[\]<>~|]/g, '\\$&').replace(/\r?\n/g, '<br>');
}

/** Text inside a markdown code span: only `|` is escaped (a table cell would end there); everything else shows. */
export function mdCode(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** An HTTP answer as Azure names it: "412 ConditionNotMet". */
export function outcome(status: number, code?: string): string {
  return `${status}${code ? ` ${code}` : ''}`;
}
