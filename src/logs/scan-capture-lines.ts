/**
 * Capture formats written one line at a time (NDJSON of captures, Azurite `--debug` log, Azure SDK log), read
 * without holding them: what is kept is only what the diagnosis needs, so memory does not grow with the file.
 *
 * - NDJSON (one capture a line) and the Azurite debug log are searched as raw bytes like `$logs`. An Azurite
 *   request spans several lines sharing a context id (which is its x-ms-request-id): a line with the id, or a
 *   request line on the followed blob, adds that context id to the search, so its End-response and error-header
 *   lines are found too; only those lines reach the parser.
 * - The SDK log has no per-line key (a record runs over several lines, responses pair with the oldest open
 *   request), so it is stream-parsed whole, and every capture that does not matter is dropped at once.
 *
 * First pass: the captures carrying the id. Second pass (`widenCaptureLines`), once the failed request is
 * known: the captures on its blob near its time (NDJSON, Azurite: from the first chunk near it on; SDK log:
 * all of them, times permitting). Orders are the capture's place in the file (`orderBase` + emitting line
 * as a fraction), so both passes agree with each other and with a full parse.
 */
import { blobKeyOfUrl, carriesId, fromCapture } from '../core/diagnose/observed.js';
import type { Observed } from '../core/diagnose/types.js';
import type { Capture } from '../core/types.js';
import { indexedScan, type FoundLine, type LiveScan, type ScanMark } from '../io/indexed-scan.js';
import { runLineParser } from './read-source.js';
import { azuriteClientIp } from '../parse/azurite-log.js';
import { lineEntryOf, type LineFormat } from '../parse/formats.js';
import type { LineParser } from '../parse/types.js';
import type { ParseResult } from '../core/issue.js';
import { blobNeedles, noteLongLines, rangesNear, SLACK_MS, type FileScan, type Sequence } from './file-scan.js';

type CaptureLineFormat = 'ndjson' | 'azurite-log' | 'sdk-log';

function isCaptureLineFormat(format: string | undefined): format is CaptureLineFormat {
  return format === 'ndjson' || format === 'azurite-log' || format === 'sdk-log';
}

/** The registry's parser for the scan's format: one fresh parser a pass (the SDK and Azurite parsers keep state). */
async function parserOf(scan: FileScan): Promise<LineParser<Capture>> {
  const entry = lineEntryOf(scan.format, 'captures');
  if (!entry) throw new Error(`no line parser for ${scan.format}`);
  return entry.parser(scan.file);
}

/** A capture's place within its file: `orderBase + position * FRACTION` stays below `orderBase + 1`. */
const FRACTION = 2 ** -32;
/** Captures emitted at the end (no response logged) come after every line. */
const AT_END = 2 ** 31;
/** How long after its request line an Azurite context is searched for its response lines. */
const CONTEXT_MS = 2 * 60_000;
const MAX_KEPT_ISSUES = 20;

const AZURITE_LINE =
  /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (\S+) \w+: (\w*StorageContextMiddleware: RequestMethod=\S+ RequestURL=(\S+))?/;

interface Sink {
  /** Keep this capture? (Called for every capture the parser emits.) */
  keep(o: Observed): boolean;
  out: Observed[];
}

function addIssue(scan: FileScan, r: ParseResult<Capture>): void {
  if (!r.ok && ++scan.skipped <= MAX_KEPT_ISSUES)
    scan.issues.push({ file: scan.file, ...r.issue, message: r.issue.message });
}

function emit(scan: FileScan, sink: Sink, c: Capture, position: number): void {
  const o = fromCapture(c, (scan.orderBase ?? 0) + position * FRACTION, azuriteClientIp(c));
  if (sink.keep(o)) sink.out.push(o);
}

/** Byte search of an Azurite debug log for `needles`, following the contexts of the lines that matter. */
async function scanAzurite(
  scan: FileScan,
  needles: string[],
  sink: Sink,
  opts: {
    countIssues: (line: string) => boolean;
    onRequest: (key: string | undefined, line: string) => boolean;
    from?: ScanMark;
    follow?: { key: string; needles: string[]; until: number };
    onBytes?: (n: number) => void;
  },
) {
  const parser = await parserOf(scan);
  const contexts = new Set<string>();
  const onLine = ({ line, lineNo }: FoundLine, live: LiveScan) => {
    const m = AZURITE_LINE.exec(line);
    if (m && m[2] !== '\t' && m[2] && !contexts.has(m[2])) {
      const requestKey = m[4] === undefined ? undefined : blobKeyOfUrl(m[4]);
      if (opts.countIssues(line) || (m[3] !== undefined && opts.onRequest(requestKey, line))) {
        contexts.add(m[2]);
        const t = Date.parse(m[1]!);
        live.follow(`context:${m[2]}`, [m[2]], Number.isNaN(t) ? Infinity : t + CONTEXT_MS);
      }
    }
    const counted = opts.countIssues(line);
    for (const r of parser.push(line, lineNo)) {
      if (r.ok) emit(scan, sink, r.value, lineNo);
      else if (counted) addIssue(scan, r);
    }
  };
  const scanned = await indexedScan(scan.file, needles, {
    from: opts.from,
    onBytes: opts.onBytes,
    onLine,
    follow: opts.follow ? [opts.follow] : undefined,
  });
  // Requests without a logged response: placed by their request line, the same in either pass.
  parser.end().forEach((r, k) => r.ok && emit(scan, sink, r.value, AT_END + (r.value.source?.line ?? k)));
  return scanned;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Without decoding: does the line at least start with `{` and end with `}` (a cut-off capture does not)? */
function looksLikeObject(window: Buffer, start: number, end: number): boolean {
  let a = start;
  let b = end - 1;
  if (window[a] === 0xef && window[a + 1] === 0xbb && window[a + 2] === 0xbf) a += 3;
  while (a <= b && (window[a] === 0x20 || window[a] === 0x09)) a++;
  while (b >= a && (window[b] === 0x20 || window[b] === 0x09)) b--;
  return a > b || (window[a] === OPEN_BRACE && window[b] === CLOSE_BRACE);
}

/**
 * Byte search of NDJSON: only lines with a needle are parsed. The first pass also looks at every other line
 * without decoding it, so a cut-off or garbled line is counted as skipped (as replay counts it), not hidden.
 */
async function scanNdjson(
  scan: FileScan,
  needles: string[],
  sink: Sink,
  opts: {
    countIssues: (line: string) => boolean;
    checkLines?: boolean;
    from?: ScanMark;
    follow?: { key: string; needles: string[]; until: number };
    onBytes?: (n: number) => void;
  },
) {
  const parser = await parserOf(scan);
  const onLine = ({ line, lineNo }: FoundLine) => {
    for (const r of parser.push(line, lineNo)) {
      if (r.ok) emit(scan, sink, r.value, lineNo);
      else if (opts.countIssues(line)) addIssue(scan, r);
    }
  };
  return indexedScan(scan.file, needles, {
    from: opts.from,
    onBytes: opts.onBytes,
    onLine,
    follow: opts.follow ? [opts.follow] : undefined,
    ...(opts.checkLines ? { checkLine: looksLikeObject } : {}),
  });
}

/** The SDK log streamed through its parser; each capture is kept or dropped as it is emitted. */
async function scanSdk(scan: FileScan, sink: Sink, countIssues: boolean): Promise<number> {
  const parser = await parserOf(scan);
  let position = 0;
  let bytes = 0;
  const filtering = {
    push(line: string, lineNo: number) {
      bytes += Buffer.byteLength(line) + 1;
      return keepOnly(parser.push(line, lineNo));
    },
    end: () => keepOnly(parser.end()),
  };
  function keepOnly(results: ParseResult<Capture>[]): ParseResult<Capture>[] {
    for (const r of results) {
      if (r.ok) emit(scan, sink, r.value, position++);
      else if (countIssues) addIssue(scan, r);
    }
    return [];
  }
  const read = await runLineParser(scan.file, filtering);
  // Lines past the length limit never reach the parser: runLineParser counts them.
  if (countIssues) for (const issue of read.issues) addIssue(scan, { ok: false, issue });
  return bytes;
}

/** First pass over a capture-line file: the captures carrying `id`, and nothing else. */
export async function scanCaptureLines(
  file: string,
  entry: LineFormat<Capture>,
  needles: string[],
  seq: Sequence,
  onBytes?: (n: number) => void,
): Promise<FileScan> {
  const format = entry.format;
  const id = needles[0] ?? '';
  const scan: FileScan = {
    file,
    format,
    observed: [],
    skipped: 0,
    issues: [],
    bytes: 0,
    complete: false,
    orderBase: seq.next(),
  };
  const sink: Sink = { keep: (o) => carriesId(o, id), out: scan.observed };
  const hasId = (line: string) => needles.some((n) => line.includes(n));
  if (format === 'sdk-log') {
    scan.bytes = await scanSdk(scan, sink, true);
    onBytes?.(scan.bytes);
    return scan;
  }
  const scanned =
    format === 'ndjson'
      ? await scanNdjson(scan, needles, sink, { countIssues: hasId, checkLines: true, onBytes })
      : await scanAzurite(scan, needles, sink, { countIssues: hasId, onRequest: () => false, onBytes });
  scan.bytes = scanned.bytes;
  scan.marks = scanned.marks;
  noteLongLines(scan, scanned.longLines);
  for (const line of scanned.rejected) {
    addIssue(scan, {
      ok: false,
      issue: { line, message: 'not a JSON object (NDJSON expects one capture object per line)' },
    });
  }
  return scan;
}

/**
 * Second pass: the other captures on the target's blob near its time. NDJSON and Azurite: searched for the
 * blob's needles from the first chunk near the target until its window (plus slack) is over, and the Azurite
 * contexts found on the way until their responses. SDK log: parsed again, keeping the blob's captures.
 */
export async function widenCaptureLines(scan: FileScan, target: Observed, windowMs: number): Promise<Observed[]> {
  const key = target.blobKey;
  if (!key || !isCaptureLineFormat(scan.format) || scan.failed) return [];
  const t = target.time ? Date.parse(target.time) : NaN;
  const near = (o: Observed) => {
    const ot = o.time ? Date.parse(o.time) : NaN;
    return Number.isNaN(t) || Number.isNaN(ot) || Math.abs(ot - t) <= windowMs + SLACK_MS;
  };
  // The first pass kept what carries the id: a capture has the same order in both passes.
  const firstPass = new Set(scan.observed.map((o) => o.order));
  const out: Observed[] = [];
  const sink: Sink = { keep: (o) => o.blobKey === key && !firstPass.has(o.order) && near(o), out };
  const probe: FileScan = { ...scan, observed: [], skipped: 0, issues: [] };
  if (scan.format === 'sdk-log') {
    await scanSdk(probe, sink, false);
    return out;
  }
  const from = Number.isNaN(t) || !scan.marks ? undefined : rangesNear(scan.marks, t, windowMs)[0]?.from;
  if (!Number.isNaN(t) && scan.marks && !from) return [];
  const follow = { key, needles: blobNeedles(key), until: Number.isNaN(t) ? Infinity : t + windowMs + SLACK_MS };
  const never = () => false;
  if (scan.format === 'ndjson') await scanNdjson(probe, [], sink, { countIssues: never, from, follow });
  else await scanAzurite(probe, [], sink, { countIssues: never, onRequest: (k) => k === key, from, follow });
  return out;
}
