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

/** Whether `text[i]` is the second half of a surrogate pair (a cut there would leave half a character). */
function lowSurrogate(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}

function shortened(text: string): string {
  if (text.length <= MOST) return text;
  let head = MOST - 500;
  let tail = text.length - 500;
  if (lowSurrogate(text, head)) head--;
  if (lowSurrogate(text, tail)) tail++;
  return `${text.slice(0, head)} … (${tail - head} characters left out) … ${text.slice(tail)}`;
}

/**
 * `cnm: <where> <what> — <hint>`, one line on stderr: a message longer than MOST characters keeps its start and end,
 * and what it echoes of the input (an id, a path) is escaped. `scrub` (the run's secrets) runs first, so a secret is
 * never cut in two and left half-redacted.
 */
export function formatErrorLine(err: CnmError, scrub: (text: string) => string = (t) => t): string {
  const where = formatLocation(err.location);
  const what = oneLine(shortened(scrub(where ? `${where}: ${err.message}` : err.message)));
  return `cnm: ${what}${err.hint ? ` — ${oneLine(scrub(err.hint))}` : ''}`;
}
