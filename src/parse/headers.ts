/** Header maps as src/core expects them: lower-case names, string values, repeats joined as HTTP does. */
import type { HeaderMap } from '../core/types.js';

function headerValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return value
      .map(headerValue)
      .filter((v) => v !== undefined)
      .join(', ');
  return undefined;
}

/**
 * No header of a real request to Azure Storage is this long: metadata, the largest, is capped at 8 KB for all its
 * pairs together (https://learn.microsoft.com/rest/api/storageservices/setting-and-retrieving-properties-and-metadata-for-blob-resources),
 * an ETag is ~20 characters, a lease id 36. A longer value is a damaged or hostile capture: refused, not
 * evaluated and rendered (a 10 MB If-Match took 975 MB and overflowed the table renderer's stack).
 */
export const MAX_HEADER_VALUE = 16 * 1024;

/**
 * Headers a request carries at most. Azure's front ends refuse a request whose headers pass a few tens of KB, and a
 * request with more than a few dozen is unheard of; a capture with a million (1.5 M took 1.9 GB to replay) is a
 * damaged or hostile file.
 */
export const MAX_HEADERS = 500;

/** An HTTP field name (RFC 9110 §5.1: a token). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/**
 * A field value Node will send (RFC 9110 §5.5: visible characters, space, tab, obs-text); a line break or NUL would
 * end or corrupt the header — Node refuses it, or the request goes out changed.
 */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Why a value's characters cannot be sent in a header, or undefined when they can. */
export function badHeaderCharacters(value: string): string | undefined {
  return FIELD_VALUE.test(value)
    ? undefined
    : 'holds a character no HTTP header can carry (a line break, NUL, control character or one past U+00FF)';
}

/** Why a value cannot be sent as a header (too long, or its characters), or undefined when it can. */
function unsendableValue(value: string): string | undefined {
  if (value.length > MAX_HEADER_VALUE)
    return `is ${Math.round(value.length / 1024)} KB: longer than any request to Azure Storage carries (${MAX_HEADER_VALUE / 1024} KB at most here)`;
  return badHeaderCharacters(value);
}

/**
 * The first request header that cannot be sent as it was captured — too long, a name that is not an HTTP token, a
 * value with a line break or NUL — or too many headers, as an issue naming it; undefined when all can. cnm reads,
 * probes and (with --execute) re-sends these headers: one Node cannot send was an internal error, and one with CR LF
 * went out changed.
 */
export function unsendableHeader(headers: HeaderMap): { message: string; path: string } | undefined {
  const names = Object.keys(headers);
  if (names.length > MAX_HEADERS)
    return {
      path: 'request.headers',
      message: `${names.length} headers: more than any request carries (${MAX_HEADERS} at most here)`,
    };
  for (const name of names) {
    if (!TOKEN.test(name))
      return { path: `request.headers`, message: `${JSON.stringify(name)} is not an HTTP header name` };
    const why = unsendableValue(headers[name]!);
    if (why) return { path: `request.headers.${name}`, message: `${name} ${why}` };
  }
  return undefined;
}

function add(map: HeaderMap, name: string, value: string): void {
  const key = name.trim().toLowerCase();
  // HTTP/2 pseudo-headers (:method, :path) are not headers the service evaluates.
  if (key === '' || key.startsWith(':') || key === '__proto__') return;
  // Own keys only: `constructor` is a header here, not Object.prototype's.
  map[key] = Object.hasOwn(map, key) ? `${map[key]}, ${value}` : value;
}

/** `{ "If-Match": "\"0x8D…\"", "Content-Length": 2 }` → `{ "if-match": "\"0x8D…\"", "content-length": "2" }`. */
export function lowerCaseHeaders(input: Record<string, unknown> | undefined | null): HeaderMap {
  const map: HeaderMap = {};
  for (const [name, raw] of Object.entries(input ?? {})) {
    const value = headerValue(raw);
    if (value !== undefined) add(map, name, value);
  }
  return map;
}

/** HAR-style `[{name, value}]`, where a name may repeat. */
export function headersFromPairs(pairs: ReadonlyArray<{ name: string; value: string }>): HeaderMap {
  const map: HeaderMap = {};
  for (const { name, value } of pairs) add(map, name, value);
  return map;
}
