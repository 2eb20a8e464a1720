/**
 * ETags as Azure speaks them: quoted opaque strings (`"0x8DC…"`) in headers, unquoted in List Blobs XML,
 * accepted with or without quotes in requests since 2011-08-18 (the conditional-headers doc,
 * learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations).
 * Compare only after normalising.
 */

export interface EtagToken {
  /** The item as written, trimmed. */
  raw: string;
  /** The opaque value without quotes or `W/`. */
  value: string;
  weak: boolean;
  /** `*`: any existing entity. */
  wildcard: boolean;
}

export function parseEtag(raw: string): EtagToken {
  let text = raw.trim();
  const weak = /^W\//i.test(text);
  if (weak) text = text.slice(2).trim();
  const value = text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
  return { raw: raw.trim(), value, weak, wildcard: !weak && value === '*' && text === '*' };
}

/** `"0x1"`, `0x1` → `0x1`; a weak tag keeps its `W/` so it never equals a strong one. */
export function normalizeEtag(raw: string): string {
  const token = parseEtag(raw);
  return token.weak ? `W/${token.value}` : token.value;
}

/** The SDK's spelling, quotes included (the JSON output's `etag` keeps its quotes). `*` stays bare. */
export function quoteEtag(raw: string): string;
export function quoteEtag(raw: string | undefined): string | undefined;
export function quoteEtag(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  // Already quoted (every ETag a log records): as parseEtag would rebuild it, without the token.
  if (raw.length >= 2 && raw.charCodeAt(0) === 34 && raw.charCodeAt(raw.length - 1) === 34) return raw;
  const token = parseEtag(raw);
  if (token.wildcard) return '*';
  return `${token.weak ? 'W/' : ''}"${token.value}"`;
}

export function isWeakEtag(raw: string): boolean {
  return parseEtag(raw).weak;
}

/** Splits an `If-Match`/`If-None-Match` value on commas outside quotes. Empty items are dropped. */
export function parseEtagList(header: string): EtagToken[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      items.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  items.push(current);
  return items.filter((item) => item.trim() !== '').map(parseEtag);
}

/**
 * Strong comparison against the blob's current ETag. A weak tag never matches strongly; when its opaque
 * value equals the current one the answer is null, because how Azure treats `W/` is unconfirmed.
 */
export function etagMatches(token: EtagToken, current: string): boolean | null {
  const now = parseEtag(current);
  if (token.wildcard) return true;
  if (token.weak) return token.value === now.value ? null : false;
  return token.value === now.value && !now.weak;
}

export function sameEtag(a: string, b: string): boolean {
  return normalizeEtag(a) === normalizeEtag(b);
}
