/** How an error is printed: `cnm: <where>: <what> — <hint>`, the single line README.md promises. */
import type { CnmError, InputLocation } from '../core/errors.js';
import { oneLine } from '../core/one-line.js';

function formatLocation(loc: InputLocation | undefined): string {
  if (!loc) return '';
  const place = [loc.file, loc.line].filter((p) => p !== undefined).join(':');
  return [place, loc.path].filter(Boolean).join(' ');
}

/** What an error line shows of its message at most: a message echoing a 3 MB URL is not read, only scrolled past. */
const MOST = 2000;

function shortened(text: string): string {
  if (text.length <= MOST) return text;
  const tail = 500;
  return `${text.slice(0, MOST - tail)} … (${text.length - MOST} characters left out) … ${text.slice(-tail)}`;
}

/**
 * `cnm: <where> <what> — <hint>`, one line on stderr: what it echoes of the input (an id, a path) is escaped, and a
 * message longer than MOST characters keeps its start and end.
 */
export function formatErrorLine(err: CnmError): string {
  const where = formatLocation(err.location);
  const what = shortened(oneLine(where ? `${where}: ${err.message}` : err.message));
  return `cnm: ${what}${err.hint ? ` — ${oneLine(err.hint)}` : ''}`;
}
