/**
 * Azurite `--debug <file>` log (Azure/Azurite src/common/WinstonLoggerStrategy.ts, and the blob middlewares
 * in src/blob/): `<iso time> <request id> <level>: <message>`, one line
 * per middleware step, many requests interleaved. The request line (`…StorageContextMiddleware:
 * RequestMethod=… RequestURL=… RequestHeaders:{json} ClientIP=…`) and the `EndMiddleware: End response.
 * … StatusCode=N … Headers={json}` line share the request id, which is also the x-ms-request-id Azurite
 * returned, so pairing is exact.
 */
import type { Capture, HeaderMap } from '../core/types.js';
import { lowerCaseHeaders } from './headers.js';
import { fail, ok, type Issue, type ParseResult } from '../core/issue.js';
import type { LineParser } from './types.js';
import { jsonObject } from './json-object.js';

const LINE = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (\S+|\t) (\w+): (.*)$/;
const REQUEST = /^\w+StorageContextMiddleware: RequestMethod=(\S+) RequestURL=(\S+) RequestHeaders:/;
const END = /^EndMiddleware: End response\..*? StatusCode=(\d{3})\b/;
const ERROR_HEADER = /^ErrorMiddleware: Set HTTP Header: ([\w-]+)=(.*)$/;

/**
 * The `ClientIP=` of each capture's request line: who called, for diagnose's writers. Kept beside the capture,
 * not in it: a capture is request/response data (docs/formats.md) that replay and the JSON output carry as is.
 */
const clientIps = new WeakMap<Capture, string>();

/** The caller's IP address Azurite logged for a capture it parsed, if any. */
export function azuriteClientIp(capture: Capture): string | undefined {
  return clientIps.get(capture);
}

interface Pending {
  capture?: Capture;
  /** Headers the ErrorMiddleware set, in case the End line lacks them. */
  errorHeaders: HeaderMap;
  /** Its request line was already reported as an issue: don't report the response again. */
  reported?: boolean;
}

/** Azurite logs RequestURL without the port; the Host header has it. */
function withHost(url: string, host: string | undefined): string {
  if (!host || !URL.canParse(url)) return url;
  const u = new URL(url);
  u.host = host;
  return u.toString();
}

class AzuriteLogParser implements LineParser<Capture> {
  private pending = new Map<string, Pending>();

  constructor(private readonly file?: string) {}

  push(line: string, lineNo: number): ParseResult<Capture>[] {
    const m = LINE.exec(line);
    // Startup lines (TAB id) and continuation lines of multi-line messages carry no request.
    if (!m || m[2] === '\t') return [];
    const [, time, id, , message] = m as unknown as [string, string, string, string, string];
    const where = { file: this.file, line: lineNo };
    if (REQUEST.test(message)) return this.request(time, id, message, where);
    const end = END.exec(message);
    if (end) return this.response(id, Number(end[1]), message, where);
    const header = ERROR_HEADER.exec(message);
    if (header) this.entry(id).errorHeaders[header[1]!.toLowerCase()] = header[2]!;
    return [];
  }

  end(): ParseResult<Capture>[] {
    const open = [...this.pending.values()].flatMap((p) => (p.capture ? [ok(p.capture)] : []));
    this.pending.clear();
    return open;
  }

  private entry(id: string): Pending {
    let p = this.pending.get(id);
    if (!p) this.pending.set(id, (p = { errorHeaders: {} }));
    return p;
  }

  private request(time: string, id: string, message: string, where: Omit<Issue, 'message'>): ParseResult<Capture>[] {
    const [, method, url] = REQUEST.exec(message)!;
    const start = message.indexOf('RequestHeaders:') + 'RequestHeaders:'.length;
    const stop = message.lastIndexOf(' ClientIP=');
    const json = jsonObject(message.slice(start, stop > start ? stop : undefined));
    if (!json) {
      this.entry(id).reported = true;
      return [fail('truncated or malformed Azurite request line (RequestHeaders is not JSON)', where)];
    }
    const headers = lowerCaseHeaders(json);
    const capture: Capture = {
      request: {
        method: method!.toUpperCase(),
        url: withHost(url!, headers.host),
        headers,
        time: new Date(time).toISOString(),
      },
      source: { kind: 'azurite-log', ...where },
    };
    const ip = / ClientIP=(\S+)/.exec(message.slice(stop > start ? stop : message.length))?.[1];
    if (ip) clientIps.set(capture, ip);
    this.entry(id).capture = capture;
    return [];
  }

  private response(id: string, status: number, message: string, where: Omit<Issue, 'message'>): ParseResult<Capture>[] {
    const p = this.pending.get(id);
    this.pending.delete(id);
    if (p?.reported) return [];
    if (!p?.capture) return [fail(`Azurite response for request ${id} without its request line`, where)];
    const at = message.indexOf(' Headers={');
    const json = at < 0 ? {} : jsonObject(message.slice(at + ' Headers='.length));
    if (!json) return [fail('truncated or malformed Azurite EndMiddleware line (Headers is not JSON)', where)];
    // The context id is the x-ms-request-id Azurite returned.
    const headers = { 'x-ms-request-id': id, ...p.errorHeaders, ...lowerCaseHeaders(json) };
    p.capture.response = { status, headers };
    return [ok(p.capture)];
  }
}

/** A stateful parser for an Azurite debug log read line by line; feed every line, then call `end()`. */
export function createAzuriteLogParser(file?: string): LineParser<Capture> {
  return new AzuriteLogParser(file);
}
