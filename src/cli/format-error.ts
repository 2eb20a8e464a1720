/** How an error is printed: `cnm: <where>: <what> — <hint>`, the single line README.md promises. */
import type { CnmError, InputLocation } from '../core/errors.js';
import { oneLine } from '../core/one-line.js';

function formatLocation(loc: InputLocation | undefined): string {
  if (!loc) return '';
  const place = [loc.file, loc.line].filter((p) => p !== undefined).join(':');
  return [place, loc.path].filter(Boolean).join(' ');
}

/** `cnm: <where> <what> — <hint>`, one line on stderr: what it echoes of the input (an id, a path) is escaped. */
export function formatErrorLine(err: CnmError): string {
  const where = formatLocation(err.location);
  const what = where ? `${where}: ${err.message}` : err.message;
  return oneLine(`cnm: ${what}${err.hint ? ` — ${err.hint}` : ''}`);
}
