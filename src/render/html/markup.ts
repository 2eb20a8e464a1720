/**
 * HTML built by a tagged template that escapes every interpolated value (html-escaper: & < > " '), so text from
 * logs — user agents, blob names, metadata, client request ids, all attacker-controlled — can only ever be text.
 * Markup passes through only as an `Html` value made by this template. Attributes are always written quoted, and
 * no logged value is ever placed in a URL, a style or an event attribute: numbers are the only values that reach
 * SVG geometry.
 */
import { escape } from 'html-escaper';

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function part(value: Value): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return (value as readonly Value[]).map(part).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  return escape(value as string);
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += part(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** A number for SVG geometry, rounded so pages stay small and stable. */
export function num(n: number): number {
  return Number.isFinite(n) ? Math.round(n * 100) / 100 : 0;
}
