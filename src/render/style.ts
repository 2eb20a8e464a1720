/** Rendering context shared by the table and markdown renderers. */
import type { ChalkInstance } from 'chalk';

export interface RenderStyle {
  chalk: ChalkInstance;
  /** Columns the tables must fit (COLUMNS, else the terminal's); undefined: not a terminal (layout.ts's default). */
  width?: number;
}

/** Values as a person reads them: absent → "—", objects as key=value lists. */
export function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? '(none)' : entries.map(([k, v]) => `${k}=${String(v)}`).join(', ');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function mdEscape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** An HTTP answer as Azure names it: "412 ConditionNotMet". */
export function outcome(status: number, code?: string): string {
  return `${status}${code ? ` ${code}` : ''}`;
}
