/**
 * A file's first bytes as the format registry looks at them (formats.ts): the text, its first 50 lines and the
 * first non-blank one, and, for JSON, which capture or log shape it opens with. Give it the first few KiB.
 */

export interface Head {
  text: string;
  /** The first 50 lines, without line ends. */
  lines: string[];
  /** The first non-blank line. */
  first: string;
}

export function headOf(raw: string): Head {
  const text = raw.replace(/^\uFEFF/, '');
  const lines = text.split('\n', 50).map((l) => l.replace(/\r$/, ''));
  return { text, lines, first: lines.find((l) => l.trim() !== '') ?? '' };
}

type JsonKind = 'capture' | 'ndjson' | 'har' | 'resource-log';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a whole parsed JSON value (or one NDJSON line) is. */
function kindOfValue(value: unknown): 'capture' | 'har' | 'resource-log' | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (!isObject(first)) return undefined;
  if (isObject(first.log) && ('entries' in first.log || 'creator' in first.log)) return 'har';
  if (isObject(first.request)) return 'capture';
  if ('operationName' in first && ('correlationId' in first || 'category' in first || 'resourceId' in first))
    return 'resource-log';
  if (Array.isArray(first.records)) return 'resource-log';
  return undefined;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Pretty-printed or cut-off JSON: look at which keys it opens with. */
function kindOfJsonText(text: string): JsonKind | undefined {
  if (/^\s*\{\s*"log"\s*:\s*\{/.test(text) || (/"log"\s*:\s*\{/.test(text) && /"entries"\s*:\s*\[/.test(text)))
    return 'har';
  if (/^\s*\{\s*"records"\s*:\s*\[/.test(text)) return 'resource-log';
  if (/"operationName"\s*:/.test(text) && /"(?:correlationId|category|resourceId)"\s*:/.test(text))
    return 'resource-log';
  if (/^\s*\{\s*"(?:request|response)"\s*:/.test(text) || /"request"\s*:\s*\{[^]*"(?:method|url)"\s*:/.test(text))
    return 'capture';
  return undefined;
}

/** The JSON shape a head opens with; undefined when it is not JSON or none cnm reads. */
export function jsonKind(head: Head): JsonKind | undefined {
  if (!/^\s*[[{]/.test(head.first)) return undefined;
  const whole = tryJson(head.text);
  if (whole !== undefined) return kindOfValue(whole);
  const nonEmpty = head.lines.filter((l) => l.trim() !== '');
  const firstLine = tryJson(nonEmpty[0] ?? '');
  const kind = kindOfValue(firstLine);
  // One JSON object a line: NDJSON captures or PT1H.json records.
  if (kind === 'capture' && !Array.isArray(firstLine)) return nonEmpty.length > 1 ? 'ndjson' : 'capture';
  if (kind) return kind;
  return kindOfJsonText(head.text);
}
