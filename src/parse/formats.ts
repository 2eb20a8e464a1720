/**
 * Every input cnm reads, in one ordered registry: how each is recognised by its first bytes (never by its file
 * name: users pass `trace.txt`, `PT1H.json`, `out.log`), whether it is read a line at a time or as a whole
 * document, what it yields (requests with their responses, or service-log entries) and its parser, loaded only
 * when a file of that format is met (the JSON formats pull in zod). The first entry whose `detect` accepts the
 * head wins. A new format is one parser file and one entry here.
 */
import type { Issue, ParseResult } from '../core/issue.js';
import type { Capture, LogEntry } from '../core/types.js';
import { unsendableHeader } from './headers.js';
import { jsonKind, type Head } from './head.js';
import type { LineParser, SourceFormat } from './types.js';

export { headOf, type Head } from './head.js';

/** What a whole document parses to: its records, and the ones it had to skip. */
interface DocumentRecords<T> {
  values: T[];
  skipped: number;
  issues: Issue[];
}

interface Common {
  format: SourceFormat;
  detect(head: Head): boolean;
}

/** Read a line at a time, never whole: `parser` is fed every non-blank line in order (stateful formats pair lines). */
export interface LineFormat<T> extends Common {
  shape: 'lines';
  parser(file: string): Promise<LineParser<T>>;
}

/** Read whole (up to a size limit), then parsed. `what` names it in messages ("a HAR file"). */
interface DocumentFormat<T> extends Common {
  shape: 'document';
  what: string;
  parse(text: string, file: string): Promise<ParseResult<DocumentRecords<T>>>;
}

export type FormatOf<T> = LineFormat<T> | DocumentFormat<T>;

export type FormatEntry = (FormatOf<Capture> & { yields: 'captures' }) | (FormatOf<LogEntry> & { yields: 'entries' });

/** A capture with a header it cannot send (headers.ts unsendableHeader) becomes an issue: skipped and counted, never evaluated. */
function guarded(result: ParseResult<Capture>): ParseResult<Capture> {
  if (!result.ok) return result;
  const big = unsendableHeader(result.value.request.headers);
  return big
    ? { ok: false, issue: { ...big, file: result.value.source?.file, line: result.value.source?.line } }
    : result;
}

function guardedParser(parser: LineParser<Capture>): LineParser<Capture> {
  return { push: (line, lineNo) => parser.push(line, lineNo).map(guarded), end: () => parser.end().map(guarded) };
}

function guardedDocument(values: Capture[], skipped: number, found: Issue[] = []): DocumentRecords<Capture> {
  const issues: Issue[] = [...found];
  const kept = values.filter((c) => {
    const r = guarded({ ok: true, value: c });
    if (!r.ok) issues.push(r.issue);
    return r.ok;
  });
  return { values: kept, skipped: skipped + issues.length, issues };
}

/** One record a line and no state between lines: the parse function of a line, as a LineParser. */
function statelessParser<T>(parse: (line: string, lineNo: number) => ParseResult<T>): LineParser<T> {
  return { push: (line, lineNo) => [parse(line, lineNo)], end: () => [] };
}

const ANALYTICS = /^[12]\.0;\d{4}-\d\d-\d\dT/;
const AZURITE = /^\d{4}-\d\d-\d\dT[\d:.]+Z (?:\S+|\t) (?:error|warn|info|verbose|debug): /;
const SDK = /^azure:[\w.-]+:(?:verbose|info|warning|error) /;

/** A resource-log record complete on the file's first line: PT1H.json, one record a line. */
function recordOnFirstLine(head: Head): boolean {
  const first = head.first.trim();
  return first.startsWith('{') && first.endsWith('}') && !/^\{\s*"records"/.test(first);
}

const FORMATS: readonly FormatEntry[] = [
  {
    format: 'analytics-log',
    yields: 'entries',
    shape: 'lines',
    detect: (head) => ANALYTICS.test(head.first),
    parser: async (file) => {
      const { parseAnalyticsLine } = await import('./storage-analytics-log.js');
      return statelessParser((line, lineNo) => parseAnalyticsLine(line, lineNo, file));
    },
  },
  {
    format: 'azurite-log',
    yields: 'captures',
    shape: 'lines',
    detect: (head) => AZURITE.test(head.first),
    parser: async (file) => guardedParser((await import('./azurite-log.js')).createAzuriteLogParser(file)),
  },
  {
    format: 'sdk-log',
    yields: 'captures',
    shape: 'lines',
    // App output may precede the first SDK record.
    detect: (head) => head.lines.some((l) => SDK.test(l)),
    parser: async (file) => guardedParser((await import('./sdk-log.js')).createSdkLogParser(file)),
  },
  {
    format: 'resource-log',
    yields: 'entries',
    shape: 'lines',
    detect: (head) => jsonKind(head) === 'resource-log' && recordOnFirstLine(head),
    parser: async (file) => {
      const { parseResourceLogLine } = await import('./resource-log.js');
      return statelessParser((line, lineNo) => parseResourceLogLine(line, lineNo, file));
    },
  },
  {
    format: 'resource-log',
    yields: 'entries',
    shape: 'document',
    what: 'a resource-log document (an array or {records:[…]})',
    detect: (head) => jsonKind(head) === 'resource-log',
    parse: async (text, file) => {
      const result = (await import('./resource-log.js')).parseResourceLogDocument(text, file);
      if (!result.ok) return result;
      const { entries, issues } = result.value;
      return { ok: true, value: { values: entries, skipped: issues.length, issues } };
    },
  },
  {
    format: 'har',
    yields: 'captures',
    shape: 'document',
    what: 'a HAR file',
    detect: (head) => jsonKind(head) === 'har',
    parse: async (text, file) => {
      const result = (await import('./har.js')).parseHar(text, { file, all: true });
      return result.ok
        ? {
            ok: true,
            value: guardedDocument(
              result.value.captures,
              result.value.skipped - result.value.issues.length,
              result.value.issues,
            ),
          }
        : result;
    },
  },
  {
    format: 'ndjson',
    yields: 'captures',
    shape: 'lines',
    detect: (head) => jsonKind(head) === 'ndjson',
    parser: async (file) => {
      const { parseCaptureLine } = await import('./capture.js');
      return statelessParser((line, lineNo) => guarded(parseCaptureLine(line, lineNo, file)));
    },
  },
  {
    format: 'capture',
    yields: 'captures',
    shape: 'document',
    what: 'a capture JSON',
    detect: (head) => jsonKind(head) === 'capture',
    parse: async (text, file) => {
      // One capture: a header past the limit is the file's problem (exit 2 naming it), not a skipped line.
      const result = guarded((await import('./capture.js')).parseCaptureJson(text, file));
      return result.ok ? { ok: true, value: { values: [result.value], skipped: 0, issues: [] } } : result;
    },
  },
];

/** The registry entry for a file whose first bytes are `head`, or undefined when it is none cnm reads. */
export function formatOf(head: Head): FormatEntry | undefined {
  return FORMATS.find((f) => f.detect(head));
}

/** The line-at-a-time entry of a format that has one (a second pass over a file already detected). */
export function lineEntryOf(format: SourceFormat | undefined, yields: 'captures'): LineFormat<Capture> | undefined;
export function lineEntryOf(format: SourceFormat | undefined, yields: 'entries'): LineFormat<LogEntry> | undefined;
export function lineEntryOf(
  format: SourceFormat | undefined,
  yields: 'captures' | 'entries',
): LineFormat<Capture> | LineFormat<LogEntry> | undefined {
  const entry = FORMATS.find((f) => f.format === format && f.shape === 'lines' && f.yields === yields);
  return entry?.shape === 'lines' ? entry : undefined;
}
