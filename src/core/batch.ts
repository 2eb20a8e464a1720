/**
 * Blob Batch (`POST ?comp=batch`, learn.microsoft.com/rest/api/storageservices/blob-batch): a multipart/mixed body
 * of up to 256 sub-requests (Delete Blob or Set Blob Tier), each an `application/http` part holding a request line,
 * headers and an empty body. The batch answers 202; each sub-response in the 202's multipart body carries its own
 * status (a 412 included). Pure: text in, sub-requests out.
 */
import type { CapturedRequest, CapturedResponse } from './types.js';

const MAX_SUB_REQUESTS = 256;

export type BatchParse<T> = { ok: true; value: T } | { ok: false; message: string };

export interface SubRequest extends CapturedRequest {
  index: number;
  /** The part's Content-ID, when it has one. */
  contentId?: string;
}

/** `boundary=` of a multipart Content-Type, quotes removed. */
function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The parts between `--boundary` lines, without the closing `--boundary--`. */
function parts(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const out: string[] = [];
  const chunks = body.split(delimiter);
  // chunks[0] is the preamble; a chunk starting with "--" follows the closing delimiter.
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break;
    out.push(chunk.replace(/^\r?\n/, ''));
  }
  return out;
}

/** Splits `head\r\n\r\nrest` into header lines and the rest (CRLF or LF). */
function splitHead(text: string): { head: string[]; rest: string } {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { head: text.split(/\r?\n/).filter((l) => l !== ''), rest: '' };
  return { head: text.slice(0, m.index).split(/\r?\n/), rest: text.slice(m.index + m[0].length) };
}

function headerMap(lines: string[]): Record<string, string> {
  const h: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) h[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return h;
}

/** The sub-requests of a batch request, URLs made absolute against the batch URL's origin. */
export function parseBatchRequest(req: CapturedRequest): BatchParse<SubRequest[]> {
  const contentType = Object.entries(req.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const boundary = boundaryOf(contentType);
  if (!boundary) return { ok: false, message: 'the batch has no multipart/mixed Content-Type with a boundary' };
  if (req.body === undefined)
    return { ok: false, message: 'the capture has no request body: the batch sub-requests cannot be read' };
  const origin = new URL(req.url).origin;
  const subs: SubRequest[] = [];
  for (const [index, part] of parts(req.body, boundary).entries()) {
    const outer = splitHead(part);
    const contentId = headerMap(outer.head)['content-id'];
    const inner = splitHead(outer.rest);
    const [requestLine, ...headerLines] = inner.head;
    const m = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/\d(?:\.\d)?)?$/.exec((requestLine ?? '').trim());
    if (!m)
      return { ok: false, message: `batch part ${index + 1} has no request line ("DELETE /container/blob HTTP/1.1")` };
    subs.push({
      index,
      method: m[1]!,
      url: new URL(m[2]!, origin).toString(),
      headers: headerMap(headerLines),
      ...(contentId !== undefined ? { contentId } : {}),
    });
  }
  if (subs.length === 0) return { ok: false, message: 'the batch body holds no sub-request' };
  if (subs.length > MAX_SUB_REQUESTS)
    return {
      ok: false,
      message: `the batch holds ${subs.length} sub-requests; Azure accepts at most ${MAX_SUB_REQUESTS}`,
    };
  return { ok: true, value: subs };
}

/** The sub-responses of a batch's 202, by position (each part: `HTTP/1.1 412 …` and headers). */
export function parseBatchResponse(res: CapturedResponse | undefined): CapturedResponse[] {
  const contentType = Object.entries(res?.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const boundary = boundaryOf(contentType);
  if (!res?.body || !boundary) return [];
  return parts(res.body, boundary).flatMap((part) => {
    const inner = splitHead(splitHead(part).rest);
    const [statusLine, ...headerLines] = inner.head;
    const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec((statusLine ?? '').trim());
    return m ? [{ status: Number(m[1]), headers: headerMap(headerLines) }] : [];
  });
}
