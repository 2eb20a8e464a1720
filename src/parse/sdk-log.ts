/**
 * Azure SDK for JS log, `AZURE_LOG_LEVEL=info` (written by Azure/azure-sdk-for-js
 * sdk/core/ts-http-runtime/src/policies/logPolicy.ts): a record starts at a line
 * `azure:<package>:<level> <message>` and runs to the next one. Per HTTP call the logPolicy writes
 * `Request: {json}`, `Response status code: N`, `Headers: {json}`. There are no timestamps, and the only
 * id both sides share is x-ms-client-request-id, which Azurite does not echo on errors, so responses pair
 * with the oldest open request unless an id says otherwise.
 */
import type { Capture, HeaderMap } from '../core/types.js';
import { lowerCaseHeaders } from './headers.js';
import { fail, ok, type ParseResult } from '../core/issue.js';
import type { LineParser } from './types.js';
import { jsonObject } from './json-object.js';

const RECORD = /^azure:[\w.-]+:(?:verbose|info|warning|error) (.*)$/;

interface OpenRecord {
  kind: 'request' | 'headers';
  text: string[];
  lineNo: number;
}

interface Pending {
  capture: Capture;
  clientRequestId?: string;
}

/**
 * The line at which the text's first value closes (its brackets, outside strings, back to none open), or -1. A
 * prefix of lines that is one JSON value ends there: a value closes once, and anything after it is more than one.
 */
function closingLine(lines: string[]): number {
  let depth = 0;
  let inString = false;
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (inString) {
        if (c === 92) i++;
        else if (c === 34) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (--depth <= 0) return depth === 0 ? l : -1;
      }
    }
  }
  return -1;
}

/**
 * JSON of a record; when app output got interleaved after it, the lines up to its closing `}` line. Only that prefix
 * can be one value, so it is the one tried (trying every `}` line from the last back, as this did, was quadratic on
 * app output of many `}` lines).
 */
function parseRecordJson(lines: string[]): Record<string, unknown> | undefined {
  const whole = jsonObject(lines.join('\n'));
  if (whole) return whole;
  const end = closingLine(lines);
  return end >= 0 && end < lines.length - 1 && lines[end] === '}'
    ? jsonObject(lines.slice(0, end + 1).join('\n'))
    : undefined;
}

function isoOrUndefined(httpDate: string | undefined): string | undefined {
  const ms = httpDate === undefined ? NaN : Date.parse(httpDate);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function requestToCapture(json: Record<string, unknown>, lineNo: number, file?: string): Pending | undefined {
  const { url, method, requestId } = json;
  if (typeof url !== 'string' || typeof method !== 'string') return undefined;
  const headers: HeaderMap = lowerCaseHeaders(json.headers as Record<string, unknown> | undefined);
  // core-rest-pipeline sends request.requestId as x-ms-client-request-id.
  if (typeof requestId === 'string' && !headers['x-ms-client-request-id'])
    headers['x-ms-client-request-id'] = requestId;
  const capture: Capture = {
    request: { method: method.toUpperCase(), url, headers },
    source: { kind: 'sdk-log', file, line: lineNo },
  };
  const time = isoOrUndefined(headers['x-ms-date'] ?? headers['date']);
  if (time) capture.request.time = time;
  return { capture, clientRequestId: headers['x-ms-client-request-id'] };
}

class SdkLogParser implements LineParser<Capture> {
  private open: OpenRecord | undefined;
  private pending: Pending[] = [];
  /** How many pending requests carry each client request id: most ids are on none, and need no look through them. */
  private readonly pendingIds = new Map<string, number>();
  private status: number | undefined;

  constructor(private readonly file?: string) {}

  push(line: string, lineNo: number): ParseResult<Capture>[] {
    const m = RECORD.exec(line);
    if (!m) {
      this.open?.text.push(line);
      return [];
    }
    const out = this.close();
    const message = m[1]!;
    const status = /^Response status code: (\d{3})\s*$/.exec(message);
    if (status) this.status = Number(status[1]);
    else if (message.startsWith('Request: ')) this.open = { kind: 'request', text: [message.slice(9)], lineNo };
    else if (message.startsWith('Headers: ')) this.open = { kind: 'headers', text: [message.slice(9)], lineNo };
    return out;
  }

  end(): ParseResult<Capture>[] {
    const out = this.close();
    // Requests still open had no logged response (network error, or the log stops here).
    for (const p of this.pending.splice(0)) out.push(ok(p.capture));
    this.pendingIds.clear();
    return out;
  }

  private close(): ParseResult<Capture>[] {
    const record = this.open;
    this.open = undefined;
    if (!record) return [];
    const json = parseRecordJson(record.text);
    const where = { file: this.file, line: record.lineNo };
    if (!json)
      return [
        fail(`truncated or malformed SDK log ${record.kind === 'request' ? 'Request' : 'Headers'} record`, where),
      ];
    return record.kind === 'request' ? this.addRequest(json, record.lineNo) : this.addResponse(json, record.lineNo);
  }

  private addRequest(json: Record<string, unknown>, lineNo: number): ParseResult<Capture>[] {
    const request = requestToCapture(json, lineNo, this.file);
    if (!request) return [fail('SDK log Request record has no url or method', { file: this.file, line: lineNo })];
    // A retry re-sends the same request object (StorageRetryPolicyV2 in @azure/storage-common): the earlier
    // attempt got no response. Only then is the list gone through (once a request: quadratic on a log of requests
    // that got no response).
    const id = request.clientRequestId;
    let retried: Pending[] = [];
    if (id && this.pendingIds.has(id)) {
      retried = this.pending.filter((p) => p.clientRequestId === id);
      this.pending = this.pending.filter((p) => p.clientRequestId !== id);
      this.pendingIds.delete(id);
    }
    this.pending.push(request);
    if (id) this.pendingIds.set(id, (this.pendingIds.get(id) ?? 0) + 1);
    return retried.map((p) => ok(p.capture));
  }

  /** Takes pending request `index` off the list. */
  private take(index: number): Pending | undefined {
    const [request] = this.pending.splice(index, 1);
    const id = request?.clientRequestId;
    if (id) {
      const n = this.pendingIds.get(id)! - 1;
      if (n > 0) this.pendingIds.set(id, n);
      else this.pendingIds.delete(id);
    }
    return request;
  }

  private addResponse(json: Record<string, unknown>, lineNo: number): ParseResult<Capture>[] {
    const status = this.status;
    this.status = undefined;
    const where = { file: this.file, line: lineNo };
    if (status === undefined) return [fail('SDK log Headers record without a preceding "Response status code"', where)];
    const headers = lowerCaseHeaders(json);
    const echoed = headers['x-ms-client-request-id'];
    let index =
      echoed && this.pendingIds.has(echoed) ? this.pending.findIndex((p) => p.clientRequestId === echoed) : -1;
    if (index < 0) index = 0;
    const request = this.take(index);
    if (!request) return [fail('SDK log response without a preceding Request record', where)];
    request.capture.response = { status, headers };
    return [ok(request.capture)];
  }
}

/** A stateful parser for an SDK log read line by line; feed every line, then call `end()`. */
export function createSdkLogParser(file?: string): LineParser<Capture> {
  return new SdkLogParser(file);
}
