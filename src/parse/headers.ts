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

/** The first request header past MAX_HEADER_VALUE, as an issue naming it; undefined when none is. */
export function oversizedHeader(headers: HeaderMap): { message: string; path: string } | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (value.length > MAX_HEADER_VALUE) {
      return {
        path: `request.headers.${name}`,
        message: `${name} is ${Math.round(value.length / 1024)} KB: longer than any request to Azure Storage carries (${MAX_HEADER_VALUE / 1024} KB at most here)`,
      };
    }
  }
  return undefined;
}

function add(map: HeaderMap, name: string, value: string): void {
  const key = name.trim().toLowerCase();
  // HTTP/2 pseudo-headers (:method, :path) are not headers the service evaluates.
  if (key === '' || key.startsWith(':') || key === '__proto__') return;
  map[key] = key in map ? `${map[key]}, ${value}` : value;
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
