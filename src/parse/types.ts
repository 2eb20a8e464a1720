/**
 * Types shared by the parsers. `Capture` and `SourceLocation` live in src/core/types.ts; what is only
 * about reading sources (log entries, formats, incremental parsers) lives here.
 */
export type { ConditionsUsed, LogEntry } from '../core/types.js';
import type { ParseResult } from '../core/issue.js';

export type { ParseResult } from '../core/issue.js';

/** Every input cnm recognises by content (docs/formats.md). */
export type SourceFormat = 'capture' | 'ndjson' | 'har' | 'sdk-log' | 'azurite-log' | 'analytics-log' | 'resource-log';

/**
 * An incremental parser for a line format: feed lines in order, collect finished records. Multi-line
 * formats (SDK log) and paired formats (Azurite request/response lines) keep state between calls.
 */
export interface LineParser<T> {
  push(line: string, lineNo: number): ParseResult<T>[];
  /** Flushes what is still open at end of input (a truncated record becomes an issue). */
  end(): ParseResult<T>[];
}
