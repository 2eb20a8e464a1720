/**
 * Recognises an input by its first bytes, never by its file name (SPEC §4, §5): users pass `trace.txt`,
 * `PT1H.json`, `out.log`. Give it the first few KiB of the file; it reads at most 50 lines of it.
 */
import type { SourceFormat } from './types.js';

const ANALYTICS = /^[12]\.0;\d{4}-\d\d-\d\dT/;
const AZURITE = /^\d{4}-\d\d-\d\dT[\d:.]+Z (?:\S+|\t) (?:error|warn|info|verbose|debug): /;
const SDK = /^azure:[\w.-]+:(?:verbose|info|warning|error) /;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a whole parsed JSON value (or one NDJSON line) is. */
function kindOfValue(value: unknown): 'capture' | 'har' | 'resource-log' | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (!isObject(first)) return undefined;
  if (isObject(first.log) && ('entries' in first.log || 'creator' in first.log)) return 'har';
  if (isObject(first.request)) return 'capture';
  if ('operationName' in first && ('correlationId' in first || 'category' in first || 'resourceId' in first)) return 'resource-log';
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
function kindOfJsonText(text: string): SourceFormat | undefined {
  if (/^\s*\{\s*"log"\s*:\s*\{/.test(text) || (/"log"\s*:\s*\{/.test(text) && /"entries"\s*:\s*\[/.test(text))) return 'har';
  if (/^\s*\{\s*"records"\s*:\s*\[/.test(text)) return 'resource-log';
  if (/"operationName"\s*:/.test(text) && /"(?:correlationId|category|resourceId)"\s*:/.test(text)) return 'resource-log';
  if (/^\s*\{\s*"(?:request|response)"\s*:/.test(text) || /"request"\s*:\s*\{[^]*"(?:method|url)"\s*:/.test(text)) return 'capture';
  return undefined;
}

function detectJson(text: string, lines: string[]): SourceFormat | undefined {
  const whole = tryJson(text);
  if (whole !== undefined) return kindOfValue(whole);
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  const firstLine = tryJson(nonEmpty[0] ?? '');
  const kind = kindOfValue(firstLine);
  // One JSON object a line: NDJSON captures or PT1H.json records.
  if (kind === 'capture' && !Array.isArray(firstLine)) return nonEmpty.length > 1 ? 'ndjson' : 'capture';
  if (kind) return kind;
  return kindOfJsonText(text);
}

/** The format of a file whose first bytes are `head`, or undefined when it is none cnm reads. */
export function detectFormat(head: string): SourceFormat | undefined {
  const text = head.replace(/^\uFEFF/, '');
  const lines = text.split('\n', 50).map((l) => l.replace(/\r$/, ''));
  const first = lines.find((l) => l.trim() !== '') ?? '';
  if (ANALYTICS.test(first)) return 'analytics-log';
  if (AZURITE.test(first)) return 'azurite-log';
  // App output may precede the first SDK record.
  if (lines.some((l) => SDK.test(l))) return 'sdk-log';
  if (/^\s*[[{]/.test(first)) return detectJson(text, lines);
  return undefined;
}
