/**
 * Text from input (a request id, a file name, a log field) shown on one line and never obeyed by the terminal: line
 * breaks, other control characters (ESC starts a colour or cursor sequence) and the bidirectional overrides that
 * reorder what a reader sees (CVE-2021-42574, "Trojan Source") are written as escapes. Pure.
 */
/** Control characters but tab and line feed, DEL and C1, the bidirectional embeddings, overrides and isolates. */
const CONTROLS = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069';
const UNSAFE = new RegExp(`[\\n${CONTROLS}]`, 'g');

function escape(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
}

export function oneLine(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** As oneLine, keeping line breaks and tabs: the text of a report laid out over lines. */
const UNSAFE_IN_TEXT = new RegExp(`[${CONTROLS}]`, 'g');

/**
 * A report with every string in it safe to print (UNSAFE_IN_TEXT escaped): its fields come from logs and captures,
 * and `&#27;` in a `$logs` field decodes to an ESC that would recolour or move the user's terminal. A copy; plain
 * objects and arrays are walked, anything else kept as it is.
 */
export function printable<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSAFE_IN_TEXT, escape) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => printable(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  // Keys too: a report's counts by error code are keyed by what the log said.
  for (const [k, v] of Object.entries(value))
    Object.defineProperty(out, printable(k), {
      value: printable(v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out as T;
}
