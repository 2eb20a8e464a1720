/**
 * Redaction by allow-list, in one place. A header or query parameter that is not on a list
 * prints as REDACTED — so a header we have never heard of can't leak a secret. Secrets that have a
 * known shape (SAS sig, SharedKey signatures, AccountKey=, bearer tokens) are also scrubbed from free text.
 */
import type { Capture, CapturedRequest, CapturedResponse, HeaderMap } from './types.js';

export const REDACTED = 'REDACTED';

/** Headers whose values are safe to print and matter to a diagnosis. Lower-case. */
const SAFE_HEADERS = new Set([
  'accept',
  'accept-ranges',
  'cache-control',
  'connection',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-length',
  'content-md5',
  'content-range',
  'content-type',
  'date',
  'etag',
  'expect',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-unmodified-since',
  'keep-alive',
  'last-modified',
  'range',
  'server',
  'transfer-encoding',
  'user-agent',
  'vary',
  'x-ms-access-tier',
  'x-ms-blob-cache-control',
  'x-ms-blob-committed-block-count',
  'x-ms-blob-condition-appendpos',
  'x-ms-blob-condition-maxsize',
  'x-ms-blob-content-disposition',
  'x-ms-blob-content-encoding',
  'x-ms-blob-content-language',
  'x-ms-blob-content-length',
  'x-ms-blob-content-md5',
  'x-ms-blob-content-type',
  'x-ms-blob-if-match',
  'x-ms-blob-if-modified-since',
  'x-ms-blob-if-none-match',
  'x-ms-blob-if-unmodified-since',
  'x-ms-blob-public-access',
  'x-ms-blob-sequence-number',
  'x-ms-blob-type',
  'x-ms-client-request-id',
  'x-ms-copy-id',
  'x-ms-copy-progress',
  'x-ms-copy-source',
  'x-ms-copy-status',
  'x-ms-creation-time',
  'x-ms-date',
  'x-ms-delete-snapshots',
  'x-ms-error-code',
  'x-ms-if-sequence-number-eq',
  'x-ms-if-sequence-number-le',
  'x-ms-if-sequence-number-lt',
  'x-ms-if-tags',
  'x-ms-is-current-version',
  'x-ms-lease-action',
  'x-ms-lease-break-period',
  'x-ms-lease-duration',
  'x-ms-lease-id',
  'x-ms-lease-state',
  'x-ms-lease-status',
  'x-ms-lease-time',
  'x-ms-meta-*',
  'x-ms-page-write',
  'x-ms-proposed-lease-id',
  'x-ms-range',
  'x-ms-request-id',
  'x-ms-request-server-encrypted',
  'x-ms-requires-sync',
  'x-ms-return-client-request-id',
  'x-ms-sequence-number-action',
  'x-ms-server-encrypted',
  'x-ms-snapshot',
  'x-ms-source-if-match',
  'x-ms-source-if-modified-since',
  'x-ms-source-if-none-match',
  'x-ms-source-if-tags',
  'x-ms-source-if-unmodified-since',
  'x-ms-tag-count',
  'x-ms-tags',
  'x-ms-version',
  'x-ms-version-id',
]);

/** Headers that carry URLs: printed with their query redacted rather than whole. */
const URL_HEADERS = new Set(['x-ms-copy-source']);

/** Query parameters that are safe to print: REST parameters and the non-secret SAS fields. */
const SAFE_QUERY = new Set([
  'comp',
  'restype',
  'blockid',
  'blocklisttype',
  'snapshot',
  'versionid',
  'timeout',
  'prefix',
  'include',
  'marker',
  'maxresults',
  'delimiter',
  'where',
  'prevsnapshot',
  // SAS fields other than `sig` describe the grant, not the secret.
  'sv',
  'ss',
  'srt',
  'sp',
  'se',
  'st',
  'spr',
  'sip',
  'sr',
  'si',
  'sdd',
  'skoid',
  'sktid',
  'skt',
  'ske',
  'sks',
  'skv',
  'saoid',
  'suoid',
  'scid',
  'rscc',
  'rscd',
  'rsce',
  'rscl',
  'rsct',
  'ses',
]);

function isSafeHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SAFE_HEADERS.has(lower) || lower.startsWith('x-ms-meta-');
}

function redactHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (URL_HEADERS.has(lower)) return redactUrl(value);
  return isSafeHeader(lower) ? value : REDACTED;
}

export function redactHeaders(headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) out[name] = redactHeaderValue(name, value);
  return out;
}

/**
 * Redacts every query parameter not on the allow-list, and the fragment's when it has parameters (a SAS pasted after
 * `#`: Azure never sees it, the report would show it); a string that is not a URL is scrubbed as text.
 */
export function redactUrl(given: string): string {
  const url = withoutUserinfo(given);
  const q = url.indexOf('?');
  const firstHash = url.indexOf('#');
  // A URL percent-encoded whole (an x-ms-copy-source as some clients send it): its `?` is `%3F`, its `&` `%26`.
  const encoded = q < 0 ? url.search(/%3F/i) : -1;
  if (encoded >= 0 && (firstHash < 0 || encoded < firstHash))
    return `${url.slice(0, encoded + 3)}${redactParams(url.slice(encoded + 3), /(&|%26)/i, /=|%3D/i)}`;
  if (q < 0 || (firstHash >= 0 && firstHash < q)) {
    if (firstHash < 0 || !url.includes('=', firstHash)) return url;
    return `${url.slice(0, firstHash)}#${redactParams(url.slice(firstHash + 1))}`;
  }
  const hashAt = url.indexOf('#', q);
  const query = url.slice(q + 1, hashAt < 0 ? undefined : hashAt);
  return `${url.slice(0, q)}?${redactParams(query)}`;
}

/** A URL's `user:password@` (a proxy's or a mistaken paste's) is a secret too. */
function withoutUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i, `$1${REDACTED}@`);
}

/**
 * `a=1&sig=x` with every parameter not on the allow-list redacted; `amp` (with one capture group, so that the
 * separators are kept) and `eq` split it, for a query written percent-encoded.
 */
function redactParams(query: string, amp: RegExp = /(&)/, eq: RegExp = /=/): string {
  return query
    .split(amp)
    .map((pair, i) => {
      // Odd places hold the separators.
      if (i % 2 === 1 || pair === '') return pair;
      const at = eq.exec(pair);
      const key = at ? pair.slice(0, at.index) : pair;
      let decoded = key;
      try {
        decoded = decodeURIComponent(key);
      } catch {
        /* keep the raw key */
      }
      if (SAFE_QUERY.has(decoded.toLowerCase())) return pair;
      return at ? `${key}${at[0]}${REDACTED}` : pair;
    })
    .join('');
}

const TEXT_PATTERNS: Array<[RegExp, string]> = [
  // The value stops at characters that end a URL in a report: quotes, markdown backticks, table pipes, ANSI escapes.
  // `sig` also percent-encoded (`%73ig`, `%53IG`: the hex digits' case is not the letters'), its `=` too (`%3D`, a URL
  // encoded whole), after `#` (a SAS pasted as a fragment) and after any separator a log field puts before it.
  [
    /((?:[?&;#\s"':,=/]|%26|%3F)(?:(?:s|%73|%53)(?:i|%69|%49)(?:g|%67|%47)|Signature)(?:=|%3D))(?!REDACTED)[^&;\s"'<>`|)\]\x1b]+/gi,
    `$1${REDACTED}`,
  ],
  [/(AccountKey=)[^;\s"']+/gi, `$1${REDACTED}`],
  [/(SharedAccessSignature=)[^;\s"']+/gi, `$1${REDACTED}`],
  [/(SharedKey(?:Lite)?\s+[^:\s"'\\]+:)[^\s"',;\\]+/gi, `$1${REDACTED}`],
  [/(Bearer\s+)[A-Za-z0-9\-_.~+/]+=*/g, `$1${REDACTED}`],
  // The values end at a backslash too (here and in SharedKey above): in JSON text a body's line break is `\r\n`
  // written out, and the pattern ran on to the next quote (it ate the rest of a Blob Batch body, and once left the
  // JSON unparseable).
  [/("?(?:authorization|x-ms-copy-source-authorization)"?\s*[:=]\s*"?)[^"\\\r\n,}]+/gi, `$1${REDACTED}`],
  // Azure's 403 AuthenticationFailed detail quotes the request's SharedKey signature and the string it signed (the
  // SDK puts a list operation's whole error body in the message): AuthenticationErrorDetail.
  [/(signature found in the HTTP request ')[^']*/gi, `$1${REDACTED}`],
  [/(string to sign: ')[^']*/gi, `$1${REDACTED}`],
];

/** Scrubs secrets of known shape from free text: error messages, log lines, debug traces. */
export function redactText(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
  for (const secret of extraSecrets) {
    if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** A Blob Batch body's own part headers (learn.microsoft.com/rest/api/storageservices/blob-batch): no secret. */
const BATCH_PART_HEADERS = new Set(['content-id', 'content-transfer-encoding']);

/**
 * A body: a Blob Batch's sub-requests, each with its request line and headers. Its header lines go through the same
 * allow-list as a request's (an unknown header is not printed), its request lines' URLs through redactUrl, and the
 * whole is scrubbed as text too (any other body: a secret of known shape).
 */
export function redactBody(body: string): string {
  const lines = body.split(/(\r?\n)/).map((line, i) => {
    if (i % 2 === 1) return line;
    const header = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):([ \t]*)(.*)$/.exec(line);
    if (header) {
      const [, name, space, value] = header as unknown as [string, string, string, string];
      const kept = BATCH_PART_HEADERS.has(name.toLowerCase()) ? value : redactHeaderValue(name, value);
      return `${name}:${space}${kept}`;
    }
    const request = /^([A-Z]+) (\S+)( HTTP\/\d(?:\.\d)?)$/.exec(line);
    return request ? `${request[1]} ${redactUrl(request[2]!)}${request[3]}` : line;
  });
  return redactText(lines.join(''));
}

function redactRequest(req: CapturedRequest): CapturedRequest {
  return {
    ...req,
    url: redactUrl(req.url),
    headers: redactHeaders(req.headers),
    ...(req.body !== undefined ? { body: redactBody(req.body) } : {}),
  };
}

function redactResponse(res: CapturedResponse): CapturedResponse {
  return {
    ...res,
    headers: redactHeaders(res.headers),
    ...(res.body !== undefined ? { body: redactText(res.body) } : {}),
  };
}

export function redactCapture(capture: Capture): Capture {
  return {
    ...capture,
    request: redactRequest(capture.request),
    ...(capture.response ? { response: redactResponse(capture.response) } : {}),
  };
}

/** Where a secret learned along the way (a key, a SAS sig, a token) goes, so every line that leaves is scrubbed of it. */
export interface SecretSink {
  add(...secrets: string[]): void;
}

/** The secrets one run has seen; `scrub` is redactText with them. */
export class Secrets implements SecretSink {
  private readonly seen = new Set<string>();

  add(...secrets: string[]): void {
    for (const s of secrets) if (s.length >= 8) this.seen.add(s);
  }

  scrub(text: string): string {
    return redactText(text, [...this.seen]);
  }
}
