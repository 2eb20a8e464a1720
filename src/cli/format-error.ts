/** How an error is printed: `cnm: <where>: <what> — <hint>`, the single line README.md promises. */
import type { CnmError, InputLocation } from '../core/errors.js';

function formatLocation(loc: InputLocation | undefined): string {
  if (!loc) return '';
  const place = [loc.file, loc.line].filter((p) => p !== undefined).join(':');
  return [place, loc.path].filter(Boolean).join(' ');
}

/** `cnm: <where> <what> — <hint>`, one line on stderr. */
export function formatErrorLine(err: CnmError): string {
  const where = formatLocation(err.location);
  const what = where ? `${where}: ${err.message}` : err.message;
  return `cnm: ${what}${err.hint ? ` — ${err.hint}` : ''}`;
}
