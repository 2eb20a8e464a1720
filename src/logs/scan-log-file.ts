/**
 * One `--logs` file, read by content. Line formats ($logs, PT1H.json) are searched as raw bytes for the
 * needles and only matching lines are parsed; so are NDJSON captures and Azurite debug logs, and the SDK log
 * is streamed keeping only the id's captures (scan-capture-lines.ts). Whole documents (HAR, capture JSON,
 * resource-log arrays) are read through src/io, refused above a size limit. Their parsers (and the
 * schema library they load) are imported only when such a file is met: start-up is part of a search.
 */
import type { Observed } from '../core/diagnose/types.js';
import { fromCapture, fromLogEntry } from '../core/diagnose/observed.js';
import { indexedScan, type FoundLine, type LiveScan, type ScanMark } from '../io/indexed-scan.js';
import { blobNeedles, noteLongLines, SLACK_MS, type FileScan, type Sequence } from './file-scan.js';

export { blobNeedles, rangesNear, subtractCovered, type FileScan, type Sequence } from './file-scan.js';
import type { LogEntry } from '../core/types.js';
import type { FileIssue } from '../core/issue.js';
import type { FormatOf, LineFormat } from '../parse/formats.js';
import { detectFile, readRecords, type Collected } from './read-source.js';

const EXPECTED = '$logs lines, resource-log records or a capture format';

interface FollowedKey {
  key: string;
  needles: string[];
  until: number;
  since: number;
}

/**
 * The blobs named by the id's lines found so far. Each is followed in the pass that found it until its
 * window (plus slack for lines logged out of order) is over, and into the next files while it lasts.
 */
export class Follow {
  private readonly keys = new Map<string, FollowedKey>();
  constructor(readonly windowMs: number) {}

  /** An id line was parsed: the key to follow from here, and until when. */
  seen(o: Observed): FollowedKey | undefined {
    if (!o.blobKey) return undefined;
    const t = o.time ? Date.parse(o.time) : NaN;
    const until = Number.isNaN(t) ? Infinity : t + this.windowMs + SLACK_MS;
    const since = Number.isNaN(t) ? -Infinity : t - this.windowMs - SLACK_MS;
    const had = this.keys.get(o.blobKey);
    const f: FollowedKey = {
      key: o.blobKey,
      needles: had?.needles ?? blobNeedles(o.blobKey),
      until: Math.max(had?.until ?? -Infinity, until),
      since: Math.min(had?.since ?? Infinity, since),
    };
    this.keys.set(o.blobKey, f);
    return f;
  }

  /** Keys to carry into the next file. */
  carried(): FollowedKey[] {
    return [...this.keys.values()];
  }
}

function usableNeedles(needles: readonly string[]): string[] {
  return needles.filter((n) => n !== '' && !/[\r\n]/.test(n));
}

export async function scanLines(
  file: string,
  entry: LineFormat<LogEntry>,
  needles: string[],
  seq: Sequence,
  range: { from?: ScanMark; to?: number } = {},
  onBytes?: (n: number) => void,
  follow?: Follow,
): Promise<FileScan> {
  const parser = await entry.parser(file);
  const out: FileScan = { file, format: entry.format, observed: [], skipped: 0, issues: [], bytes: 0, complete: false };
  const followed: Observed[] = [];
  const ids = usableNeedles(needles);
  const onLine = ({ line, lineNo }: FoundLine, live: LiveScan) => {
    const isId = !follow || ids.some((n) => line.includes(n));
    // Line-format log entries are one record a line: the parser answers each line at once.
    const [r] = parser.push(line, lineNo);
    if (!r) return;
    if (!r.ok) {
      if (isId && ++out.skipped <= 20) out.issues.push({ file, ...r.issue, message: r.issue.message });
      return;
    }
    const o = fromLogEntry(r.value, seq.next());
    if (!isId) {
      followed.push(o);
      return;
    }
    out.observed.push(o);
    const f = follow?.seen(o);
    if (f) live.follow(f.key, f.needles, f.until);
  };
  const scan = await indexedScan(file, needles, { ...range, onBytes, onLine, follow: follow?.carried() });
  out.bytes = scan.bytes;
  out.marks = scan.marks;
  noteLongLines(out, scan.longLines);
  if (follow) out.followed = { observed: followed, covered: scan.covered };
  return out;
}

async function readObserved<T>(
  file: string,
  entry: FormatOf<T>,
  toObserved: (value: T) => Observed,
): Promise<Collected<Observed> | FileIssue> {
  const read = await readRecords(file, entry);
  return 'values' in read ? { ...read, values: read.values.map(toObserved) } : read;
}

/** First pass over one file: the lines carrying any of `needles`, or every request of a capture-format file. */
export async function scanLogFile(
  file: string,
  needles: string[],
  seq: Sequence,
  onBytes?: (n: number) => void,
  follow?: Follow,
): Promise<FileScan> {
  const detected = await detectFile(file, EXPECTED);
  if (!detected.ok)
    return { file, observed: [], skipped: 0, issues: [], bytes: 0, complete: true, failed: detected.issue };
  const { entry } = detected;
  if (entry.shape === 'lines' && entry.yields === 'entries')
    return scanLines(file, entry, needles, seq, {}, onBytes, follow);
  if (entry.shape === 'lines') {
    const { scanCaptureLines } = await import('./scan-capture-lines.js');
    return scanCaptureLines(file, entry, needles, seq, onBytes);
  }
  // A whole document (HAR, capture JSON, a resource-log array): every record, read once.
  try {
    const read =
      entry.yields === 'entries'
        ? await readObserved(file, entry, (e) => fromLogEntry(e, seq.next()))
        : await readObserved(file, entry, (c) => fromCapture(c, seq.next()));
    if (!('values' in read))
      return { file, observed: [], skipped: 0, issues: [], bytes: 0, complete: true, failed: read };
    return {
      file,
      format: entry.format,
      observed: read.values,
      skipped: read.skipped,
      issues: read.issues,
      bytes: 0,
      complete: true,
    };
  } catch (err) {
    const failed = { file, message: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
    return { file, observed: [], skipped: 0, issues: [], bytes: 0, complete: true, failed };
  }
}
