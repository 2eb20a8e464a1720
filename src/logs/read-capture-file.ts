/**
 * Reads a capture-ish file by content (docs/formats.md): capture JSON, HAR, NDJSON of captures, Azure SDK log, Azurite
 * debug log — and picks the captures a command looks at: the one carrying the request id asked for, else the
 * failed conditional ones of a multi-request source.
 */
import type { FileIssue, Issue } from '../core/issue.js';
import type { Capture } from '../core/types.js';
import type { LineStreamOptions } from '../io/line-stream.js';
import { matchesRequestId, selectCaptures } from '../parse/select.js';
import type { SourceFormat } from '../parse/types.js';
import { detectFile, readRecords } from './read-source.js';

type CaptureFormat = Extract<SourceFormat, 'capture' | 'ndjson' | 'har' | 'sdk-log' | 'azurite-log'>;

export interface ReadCaptureOptions extends LineStreamOptions {
  /** Keep captures carrying this x-ms-request-id / x-ms-client-request-id. */
  requestId?: string;
  /** Keep every capture of a HAR/SDK/Azurite log instead of only the failed conditional ones. */
  all?: boolean;
}

export type ReadCaptureResult =
  | { ok: true; format: CaptureFormat; captures: Capture[]; skipped: number; issues: FileIssue[] }
  | { ok: false; issue: FileIssue };

const LOG_ONLY: Partial<Record<SourceFormat, string>> = {
  'analytics-log': 'is a Storage Analytics $logs file',
  'resource-log': 'is an Azure Monitor resource log',
};

const EXPECTED =
  'a capture JSON, HAR 1.2, NDJSON of captures, an Azure SDK log or an Azurite --debug log (see docs/formats.md)';

/**
 * One capture is itself, if it carries the id asked for; NDJSON is every line (narrowed by id); logs and HAR their
 * failed conditional requests.
 */
function picks(format: CaptureFormat, options: ReadCaptureOptions): (c: Capture) => boolean {
  if (format === 'capture' || format === 'ndjson' || options.all)
    return options.requestId ? (c) => matchesRequestId(c, options.requestId!) : () => true;
  return (c) => selectCaptures([c], options.requestId).length > 0;
}

/** Never throws for a bad file: unreadable, empty, unrecognised or invalid input is an issue. */
export async function readCaptureFile(file: string, options: ReadCaptureOptions = {}): Promise<ReadCaptureResult> {
  const detected = await detectFile(file, EXPECTED);
  if (!detected.ok) return detected;
  const { entry } = detected;
  if (entry.yields === 'entries') {
    return {
      ok: false,
      issue: {
        file,
        message: `${LOG_ONLY[entry.format] ?? 'is a service log'}, not a capture: pass it to diagnose with --logs`,
      },
    };
  }
  const format = entry.format as CaptureFormat;
  const keep = picks(format, options);
  try {
    const read = await readRecords(file, entry, { ...options, keep });
    if (!('values' in read)) return { ok: false, issue: read };
    // Documents are parsed whole; line formats were narrowed as they were read.
    const captures = entry.shape === 'document' ? read.values.filter(keep) : read.values;
    return { ok: true, format, captures, skipped: read.skipped, issues: read.issues };
  } catch (err) {
    return {
      ok: false,
      issue: { file, message: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` },
    };
  }
}

/**
 * Said where no request was found: the entries or lines passed over as invalid (the request may be one of them),
 * the first with its place. Empty when none was.
 */
export function invalidSkipped(read: { skipped: number; issues: readonly Issue[] }): string {
  if (read.skipped === 0) return '';
  const first = read.issues[0];
  const place =
    first && [first.line !== undefined ? `line ${first.line}` : '', first.path ?? ''].filter(Boolean).join(' ');
  const where = first ? ` (the first: ${place ? `${place}: ` : ''}${first.message})` : '';
  return `; ${read.skipped} ${read.skipped === 1 ? 'entry was' : 'entries were'} skipped as invalid${where}`;
}
