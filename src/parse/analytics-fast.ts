/**
 * The fast path of `cnm stats` over `$logs` lines: the few fields every request is counted by, read straight from
 * the line's bytes by offset — no string for the line, no field split into strings, no date parsed. A batch of
 * lines is split by a WebAssembly byte scanner (wasm/analytics-scan.as.ts: the fields' starts, the blob key's span
 * and hash, the time's parts, the status, whether the operation reads); what they mean is read here. A plain read
 * of a blob not seen before is counted in the scanner itself (`tally`, by the aggregator's plan and table of blobs
 * seen), else from a few numbers and no object (`light`); any other line becomes a record whose text is kept only
 * when the aggregator keeps it (a failure, and the requests its origin is judged against), and is then parsed in
 * full (storage-analytics-log.ts) only when asked. A line the fast path is not sure of (a version other than 1.0
 * with 30 fields or 2.0 with 38, a time not in the exact shape, a quoted field it reads raw, an object key that is
 * a URL) is left to the full parser, which says what is wrong with it. test/unit/stats-fast-path.test.ts holds the
 * two to each other, test/unit/stats-read-tally.test.ts the scanner's counts to the aggregator's. Pure.
 */
import { fromLogEntry } from '../core/diagnose/observed.js';
import type { Observed } from '../core/diagnose/types.js';
import { hostOf, type Outcome } from '../core/stats/failure.js';
import type { ReadPlan } from '../core/stats/read-plan.js';
import type { PortableRecord, StatsRecord } from '../core/stats/record.js';
import { CONDITION_NAMES, errorCodeOf, identityOf, parseConditionsUsed } from './log-entry.js';
import { decodeAnalyticsField, parseAnalyticsLine } from './storage-analytics-log.js';
import { AnalyticsScanner, STRIDE } from './analytics-scanner.js';

const SEMI = 59;
const QUOTE = 34;
const AMP = 38;
const SLASH = 47;

/** A `;` that closes an HTML entity (`&amp;`) is part of the value (as splitAnalyticsLine). */
const ENTITY_BEFORE = /&(?:amp|quot|lt|gt|apos|#\d+|#x[0-9a-f]+)$/i;

/** Start of each field (absolute offsets), and one past the last field's end at index `count`: the careful split's. */
const starts = new Int32Array(64);
/** Where the current line's field starts are read: the scanner's output at an offset, or `starts` at 0. */
let F: Int32Array = starts;
let FO = 0;

function st(i: number): number {
  return F[FO + i]!;
}

/** As splitAnalyticsLine: toggling on every quote, a `;` that closes an entity kept in the value. */
function carefulSplit(buf: Buffer, start: number, end: number): number {
  let n = 0;
  starts[0] = start;
  let quoted = false;
  let amp = -1;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === QUOTE) quoted = !quoted;
    else if (c === AMP) amp = i;
    else if (c === SEMI && !quoted) {
      if (amp >= starts[n]! && i - amp <= 10 && ENTITY_BEFORE.test(buf.toString('latin1', amp, i))) continue;
      if (++n >= 63) return 0;
      starts[n] = i + 1;
    }
  }
  starts[n + 1] = end + 1;
  return n + 1;
}

function field(buf: Buffer, i: number): string {
  return buf.toString('utf8', st(i), st(i + 1) - 1);
}

function size(i: number): number {
  return st(i + 1) - 1 - st(i);
}

function digits(buf: Buffer, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = buf[at + i]! - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/** Hour starts by their text (`2026-11-24T18`): a day of logs has 24. */
const hours = new Map<string, number>();

/** The start of the hour `2026-11-24T18`, as Date.parse reads it (NaN for a day that is not one). */
function hourOf(prefix: string): number {
  let hour = hours.get(prefix);
  if (hour === undefined) {
    hour = Date.parse(`${prefix}:00:00Z`);
    if (hours.size < 100_000) hours.set(prefix, hour);
  }
  return hour;
}

/** The hour read last (its day as yyyymmdd × 100 + its hour), and its start. */
let lastHourKey = -1;
let lastHour = NaN;

/**
 * A line's time from its parts as the scanner reads them (analytics-scan.as.ts `counted`): the day as yyyymmdd (-1:
 * not the shape), the hour, the milliseconds into it (-1: not the shape). Lines come in time order: the hour is
 * nearly always the previous line's.
 */
function timeFrom(day: number, hour: number, within: number): number {
  if (day < 0 || within < 0) return NaN;
  const k = day * 100 + hour;
  if (k !== lastHourKey) {
    const d = String(day).padStart(8, '0');
    lastHour = hourOf(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T${String(hour).padStart(2, '0')}`);
    lastHourKey = k;
  }
  return lastHour + within;
}

/** The ISO time of a line the careful split read, as the scanner reads it (below). */
const ISO_TIME = /^(\d{4})-(\d\d)-(\d\d)T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:Z|\.(\d{3})\d{0,6}Z)$/;

/** `2026-11-24T18:00:00.1234567Z` → epoch ms, or NaN when not exactly that shape (the careful split's lines). */
function timeOf(buf: Buffer): number {
  const m = ISO_TIME.exec(buf.toString('latin1', st(1), st(2) - 1));
  if (!m) return NaN;
  const [, y, mo, d, h, min, sec, ms] = m;
  return timeFrom(Number(y + mo! + d!), Number(h), Number(min) * 60_000 + Number(sec) * 1000 + Number(ms ?? 0));
}

const CONFLICT = /^(?:BlobAlreadyExists|Lease[A-Za-z]+)$/;

function outcomeOf(status: number, buf: Buffer): Outcome {
  if (status === 304) return 'not-modified';
  if (status === 412) return 'failure';
  if (status === 409 && CONFLICT.test(field(buf, 3))) return 'failure';
  return 'other';
}

const READ_VERBS = ['Get', 'List', 'Query', 'Head', 'Find'].map((w) => Buffer.from(w, 'latin1'));

/** Reads change nothing (failure.ts isWrite): Get*, List*, Query*, Head*, Find*. Compared byte by byte: no string. */
function isWrite(buf: Buffer): boolean {
  const s = st(2);
  const verb = READ_VERBS.find((w) => w[0] === buf[s]);
  if (!verb) return true;
  for (let i = 1; i < verb.length; i++) if (buf[s + i] !== verb[i]) return true;
  return false;
}

/** The object key's span in the line, set by keyShape. */
const key = { start: 0, second: 0, end: 0 };

/**
 * Where the blob's key is, for observed.ts's `/account/container/blob` (the owner account, lower-case, then the
 * object key): 1 a blob, -1 only the full parse can say (a URL key, an encoded key, a container's own key).
 */
function keyShape(buf: Buffer): number {
  let s = st(12);
  let e = st(13) - 1;
  if (buf[s] === QUOTE && buf[e - 1] === QUOTE) {
    s++;
    e--;
  }
  if (buf[s] !== SLASH || byteIn(buf, AMP, s, e) !== -1) return -1;
  const second = byteIn(buf, SLASH, s + 1, e);
  const third = second === -1 ? -1 : byteIn(buf, SLASH, second + 1, e);
  // A container's own key: the full parse then reads the blob from the URL, if it names one.
  if (third === -1) return -1;
  if (third === second + 1 || third === e - 1) return -1;
  key.start = s;
  key.second = second;
  key.end = e;
  return 1;
}

/**
 * Where `byte` is in `buf[from, to)`, else -1: a search that stops at the field's end (Buffer.indexOf runs on to the
 * window's end, ~1 MB, for each field of each line without the byte: quadratic on a window of such lines).
 */
function byteIn(buf: Buffer, byte: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (buf[i] === byte) return i;
  return -1;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c | 32 : c;
}

/** Where the key's account is read from: the owner account field, else the key's own first segment. */
function ownerSpan(): [number, number] {
  return size(9) ? [st(9), st(10) - 1] : [key.start + 1, key.second];
}

/** FNV-1a of the key's bytes as blobKey spells them (the owner account lower-cased): no string made. */
function keyHash(buf: Buffer): number {
  let h = 0x811c9dc5;
  const [from, to] = ownerSpan();
  for (let i = from; i < to; i++) h = Math.imul(h ^ lower(buf[i]!), 0x01000193);
  for (let i = key.second; i < key.end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h;
}

/** As record.ts writerOf: identity, host, user agent (the fields storage-analytics-log.ts reads them from). */
function writerOf(buf: Buffer): string {
  const v2 = buf[st(0)] === 50;
  const opt = (i: number) => (v2 && size(i) ? decodeAnalyticsField(field(buf, i)) : undefined);
  const identity = identityOf({
    authType: field(buf, 7) || undefined,
    upn: opt(35),
    objectId: opt(30),
    appId: opt(32),
    account: field(buf, 8) || undefined,
  });
  const ua = size(27) ? decodeAnalyticsField(field(buf, 27)) : '';
  // No address: the requester alone names the caller (observed.ts fromLogEntry).
  const host = hostOf(field(buf, 15) || undefined) ?? opt(35) ?? opt(30) ?? field(buf, 8);
  return [identity ?? '', host, ua].join('\u0001');
}

/**
 * The current line's field starts from `start` (the line's), and one past its end: what parseAnalyticsLine's splitter
 * finds in the line's text when each byte is a character (it checks), so the full parse need not split it again.
 */
function boundsOf(buf: Buffer, start: number): number[] {
  const count = buf[st(0)] === 50 ? 38 : 30;
  // A plain array: a typed array this long has its bytes off the heap (an allocation outside it, for each record).
  const bounds = new Array<number>(count + 1);
  for (let i = 0; i <= count; i++) bounds[i] = st(i) - start;
  return bounds;
}

/** A request read from a `$logs` line by offsets; the line kept as text only when asked, parsed once. */
class AnalyticsRecord implements StatsRecord {
  private observed: Observed | undefined;
  private line: string | undefined;
  private key: string | undefined;
  constructor(
    readonly time: number,
    readonly outcome: Outcome,
    readonly errorKey: string,
    /** Set when the line names a blob: the key's hash, its string made only when asked. */
    readonly keyHash: number | undefined,
    /** The owner account's span in the line, and the object key's from its second `/` to its end. */
    private readonly ownerFrom: number,
    private readonly ownerTo: number,
    private readonly keySecond: number,
    private readonly keyEnd: number,
    readonly conditional: boolean,
    readonly write: boolean,
    readonly inert: boolean,
    private readonly writerText: string,
    /** The line's fields as the fast path split it (boundsOf): the full parse's split, made once; let go after it. */
    private bounds: number[] | undefined,
    private buf: Buffer | undefined,
    private readonly start: number,
    private readonly end: number,
    private readonly lineNo: number,
    private readonly file: string | undefined,
    private readonly order: number,
  ) {}

  get blobKey(): string | undefined {
    // Made from the spans kept at construction: reads nothing of whichever line is being read now.
    this.key ??=
      `/${this.buf!.toString('utf8', this.ownerFrom, this.ownerTo).toLowerCase()}` +
      this.buf!.toString('utf8', this.keySecond, this.keyEnd);
    return this.key;
  }

  writer(): string {
    return this.writerText;
  }

  keep(): void {
    if (this.line === undefined) this.line = this.buf!.toString('utf8', this.start, this.end);
    void this.blobKey;
    this.buf = undefined;
  }

  observe(): Observed {
    if (this.observed) return this.observed;
    this.keep();
    this.observed = observedOfLine(this.portable());
    this.bounds = undefined;
    return this.observed;
  }

  portable(): PortableLine {
    this.keep();
    return { line: this.line!, lineNo: this.lineNo, file: this.file, order: this.order, bounds: this.bounds };
  }
}

type PortableLine = Extract<PortableRecord, { line: string }>;

/** The request of a `$logs` line the fast path read (its full parse), wherever it is judged. */
function observedOfLine(p: PortableLine): Observed {
  const r = parseAnalyticsLine(p.line, p.lineNo, p.file, p.bounds);
  if (!r.ok) throw new Error(`a $logs line read by the fast path did not parse: ${r.issue.message}`);
  return fromLogEntry(r.value, p.order);
}

/** A stats record's request, rebuilt from its portable form (on another thread). */
export function observedOfPortable(p: PortableRecord): Observed {
  return 'observed' in p ? p.observed : observedOfLine(p);
}

/** Where, in a line's STRIDE i32 of the scanner's output, it put the key's span and hash, the time, the status and the
 * flags (analytics-scan.as.ts). */
const KEY = 41;
const TIME = 46;
const STATUS = 49;
const FLAGS = 50;
const READS = 1;
const CONDITIONS = 2;
const LIGHT = 4;

let shared: AnalyticsScanner | undefined;

/** A scanner for readers that count no read in it (its table of blobs seen is nobody's): one, not one per file. */
function sharedScanner(): AnalyticsScanner {
  return (shared ??= new AnalyticsScanner());
}

/** What `light` read of a line: valid until the next line is read. */
export interface LightRead {
  time: number;
  keyHash: number;
  conditional: boolean;
}

/**
 * The `$logs` lines of one batch (a window of bytes and the lines' spans in it, as io/line-stream.ts yields them):
 * `scan` splits them all at once; then each line is read by its index, in order.
 */
export class AnalyticsLines {
  private buf: Buffer = Buffer.alloc(0);
  private spans: ArrayLike<number> = [];
  /** The spans shifted (see scan), one array for every batch. */
  private shifted = new Int32Array(0);
  private out = new Int32Array(0);
  private outAt = 0;
  /** The lines scanned last: their first index in the batch, and how many. */
  private from = 0;
  private lines = 0;
  /** The line read last, and what was read of it. */
  private current = -1;
  private ok = false;
  private time = NaN;
  private status = NaN;
  private outcome: Outcome = 'other';
  private write = false;
  /** False when the line's conditions-used is empty (no need to read it). */
  private maybeConditional = true;
  private hash = 0;
  private readonly lightRead: LightRead = { time: NaN, keyHash: 0, conditional: false };

  /** `scanner`: the run's (whose table of blobs seen its aggregator counts by); by default one shared by readers. */
  constructor(private readonly scanner = sharedScanner()) {}

  /** Lines at most per scan: the scanner writes ~200 bytes a line, and a window of blank lines holds millions. */
  static readonly MAX_LINES = 16_384;

  /**
   * Splits lines `from` to `to` (at most MAX_LINES) of a batch; then read them by their index in the batch. A window
   * in the scanner's own memory (read straight into it) is scanned where it is; any other is copied into it first.
   */
  scan(window: Buffer, spans: ArrayLike<number>, from = 0, to = spans.length >> 1): void {
    const lines = to - from;
    if (lines > AnalyticsLines.MAX_LINES) throw new Error(`scan ${lines} lines at most ${AnalyticsLines.MAX_LINES}`);
    const { linesAt, stage } = this.scanner;
    const inPlace = this.scanner.owns(window);
    // The lines' bytes, from linesAt, are `shift` bytes on from their offsets in the window: where it is, or where it
    // is copied to, `stage` bytes on (a line too long to read is -1, -1).
    const shift = inPlace ? window.byteOffset - linesAt : stage;
    const spansAt = (linesAt + stage + (inPlace ? 0 : window.length) + 7) & ~7;
    const outAt = spansAt + lines * 8;
    const w = this.scanner.exports;
    this.scanner.reserve(outAt + lines * STRIDE * 4);
    const memory = this.scanner.memory.buffer;
    if (!inPlace) {
      let first = -1;
      let last = 0;
      for (let i = from; i < to && first < 0; i++) first = spans[2 * i]!;
      for (let i = to - 1; i >= from && !last; i--) last = Math.max(0, spans[2 * i + 1]!);
      if (first >= 0 && last > first) new Uint8Array(memory).set(window.subarray(first, last), linesAt + stage + first);
    }
    this.out = new Int32Array(memory);
    // What the scanner is given is counted from linesAt: so are the lines read here when they are not at their
    // window's offsets (a view of the memory, and the spans shifted, at their index in the batch).
    if (shift !== 0 && this.shifted.length < spans.length) this.shifted = new Int32Array(spans.length);
    const shifted = this.shifted;
    for (let i = 0, at = spansAt >> 2; i < 2 * lines; i++) {
      const s = spans[2 * from + i]!;
      const t = s < 0 ? s : s + shift;
      this.out[at + i] = t;
      if (shift !== 0) shifted[2 * from + i] = t;
    }
    w.scan(spansAt, lines, outAt);
    w.warm(outAt, lines);
    this.buf = shift === 0 ? window : Buffer.from(memory, linesAt);
    this.spans = shift === 0 ? spans : shifted;
    this.from = from;
    this.lines = lines;
    this.outAt = outAt >> 2;
    this.current = -1;
  }

  /**
   * Lines another thread's scanner on this one's memory (scan-thread.ts) scanned: `lines` of them, their bytes in
   * `region` (the memory from linesAt on) at `spans`, what it wrote of them at `outAt`. Then read them by index.
   */
  adopt(region: Buffer, spans: Int32Array, outAt: number, lines: number, warm = true): void {
    // The reader takes a scanned batch as one slice (line-stream.ts BATCH_LINES, the scan thread's batch size).
    if (lines > AnalyticsLines.MAX_LINES) throw new Error(`adopt ${lines} lines at most ${AnalyticsLines.MAX_LINES}`);
    // Only for a reader that will tally them (`warm: false` when the scan thread did).
    if (warm) this.scanner.exports.warm(outAt, lines);
    this.buf = region;
    this.spans = spans;
    this.out = new Int32Array(this.scanner.memory.buffer);
    this.from = 0;
    this.lines = lines;
    this.outAt = outAt >> 2;
    this.current = -1;
  }

  /**
   * Counts the plain reads of the scanned lines from `i` on, in the scanner (analytics-scan.as.ts `tally`), by the
   * aggregator's plan, until a line it leaves to the caller: returns that line's index (`to`: every line counted).
   * The plan's table of blobs seen must be the scanner's own (`AnalyticsScanner.seen`).
   */
  tally(i: number, to: number, plan: ReadPlan): number {
    const at = this.outAt << 2;
    const stop = this.scanner.exports.tally(
      at,
      i - this.from,
      to - this.from,
      plan.grid.since,
      plan.grid.until,
      plan.grid.first,
      plan.grid.size,
      plan.grid.count,
      plan.deployedAt ?? NaN,
    );
    return stop + this.from;
  }

  /**
   * Line `i` when it is a read that is neither a failure nor a 304 (most lines of a big log): what it is counted
   * by, with no object made. Undefined for any other line (ask `record`).
   */
  light(i: number): LightRead | undefined {
    const r = this.lightRead;
    // The scanner found it a plain read: only its hour is left to check (most lines of a big log end here).
    const o = this.outAt + (i - this.from) * STRIDE;
    const out = this.out;
    if (out[o]! > 0 && out[o + KEY] === 1 && (out[o + FLAGS]! & LIGHT) !== 0) {
      r.time = timeFrom(out[o + TIME]!, out[o + TIME + 1]!, out[o + TIME + 2]!);
      r.keyHash = out[o + KEY + 4]!;
      r.conditional = false;
      if (!Number.isNaN(r.time)) return r;
    }
    if (!this.read(i) || this.outcome !== 'other' || this.write) return undefined;
    r.time = this.time;
    r.keyHash = this.hash;
    r.conditional = this.maybeConditional && conditional(this.buf);
    return r;
  }

  /**
   * How the aggregator's table of blobs seen meets line `i` (aggregate.ts countRead and admit), decided as the reader
   * decides it (light, then record): 0 a plain read, 1 another request, -1 neither (a line the fast path is not sure
   * of: its full parse has no key hash, and the table is not asked). The line's time and key hash are then in the
   * returned read. The scan thread keeps the table this way ahead of the main thread (logs/scan-worker.ts).
   */
  seenKind(i: number): { kind: -1 | 0 | 1; read: LightRead } {
    const r = this.lightRead;
    if (this.light(i)) return { kind: 0, read: r };
    if (!this.read(i)) return { kind: -1, read: r };
    r.time = this.time;
    r.keyHash = this.hash;
    r.conditional = false;
    return { kind: 1, read: r };
  }

  /**
   * The stats record of line `i`, valid until the window is reused unless the aggregator keeps it; undefined when
   * the fast path is not sure of it (the caller parses it in full, which reports a malformed line).
   */
  record(i: number, lineNo: number, file: string | undefined, order: number): StatsRecord | undefined {
    if (!this.read(i)) return undefined;
    const { buf, outcome, write } = this;
    return new AnalyticsRecord(
      this.time,
      outcome,
      outcome === 'failure' ? (errorCodeOf(field(buf, 3)) ?? String(this.status)) : '',
      this.hash,
      ...ownerSpan(),
      key.second,
      key.end,
      outcome !== 'other' || (this.maybeConditional && conditional(buf)),
      write,
      // A read, or no success: no ETag changed (timeline.ts changesEtag, createsBlob name only writing operations).
      (!write || this.status < 200 || this.status >= 300) && this.status !== 0,
      write ? writerOf(buf) : '',
      boundsOf(buf, this.spans[2 * i]!),
      buf,
      this.spans[2 * i]!,
      this.spans[2 * i + 1]!,
      lineNo,
      file,
      order,
    );
  }

  /**
   * Reads line `i` (once): its fields, time, status, outcome, whether it writes, and its key; false when the fast
   * path is not sure of it.
   */
  private read(i: number): boolean {
    if (i === this.current) return this.ok;
    this.current = i;
    this.ok = false;
    const buf = this.buf;
    const start = this.spans[2 * i]!;
    const end = this.spans[2 * i + 1]!;
    const o = this.outAt + (i - this.from) * STRIDE;
    let n = this.out[o]!;
    if (n === -1) {
      // A quote inside a value or an `&` outside one: the careful split, here.
      n = carefulSplit(buf, start, end);
      F = starts;
      FO = 0;
      if (keyShape(buf) < 0 || !known(buf, n) || !RAW_FIELDS.every((f) => raw(buf, f))) return false;
      this.hash = keyHash(buf);
      this.time = timeOf(buf);
      this.status = size(4) === 3 ? digits(buf, st(4), 3) : NaN;
      this.write = isWrite(buf);
      this.maybeConditional = true;
    } else {
      F = this.out;
      FO = o + 1;
      if (this.out[o + KEY] !== 1 || !known(buf, n)) return false;
      // No `&` outside quotes (the scanner said so): a field is its own value unless it is quoted.
      for (const f of RAW_FIELDS) if (buf[st(f)] === QUOTE) return false;
      key.start = this.out[o + KEY + 1]!;
      key.second = this.out[o + KEY + 2]!;
      key.end = this.out[o + KEY + 3]!;
      this.hash = this.out[o + KEY + 4]!;
      // The scanner read the time, status and verb: only their meaning is read here.
      this.time = timeFrom(this.out[o + TIME]!, this.out[o + TIME + 1]!, this.out[o + TIME + 2]!);
      const status = this.out[o + STATUS]!;
      this.status = status < 0 ? NaN : status;
      const flags = this.out[o + FLAGS]!;
      this.write = (flags & READS) === 0;
      this.maybeConditional = (flags & CONDITIONS) !== 0;
    }
    if (Number.isNaN(this.time) || Number.isNaN(this.status) || size(2) === 0) return false;
    this.outcome = outcomeOf(this.status, buf);
    return (this.ok = true);
  }
}

/** A `$logs` version this reads, with its field count: exactly `1.0` and 30 fields, or `2.0` and 38. */
function known(buf: Buffer, n: number): boolean {
  const s = st(0);
  if (size(0) !== 3 || buf[s + 1] !== 46 || buf[s + 2] !== 48) return false;
  return (n === 38 && buf[s] === 50) || (n === 30 && buf[s] === 49);
}

/**
 * Fields read as they are written (operation, status text, authentication type, requester, owner account, client
 * address): the full parse decodes them (quotes, `&amp;`), so a line where one is quoted or holds an `&` is left to
 * it.
 */
const RAW_FIELDS = [2, 3, 7, 8, 9, 15];

function raw(buf: Buffer, i: number): boolean {
  const s = st(i);
  const e = st(i + 1) - 1;
  if (buf[s] === QUOTE) return false;
  return byteIn(buf, AMP, s, e) === -1;
}

/** Did the request carry a condition the log records (If-*, a lease id)? */
function conditional(buf: Buffer): boolean {
  return size(26) > 0 && loggedCondition(buf, st(26), st(27) - 1);
}

/** The condition names parseConditionsUsed knows (log-entry.ts CONDITION_NAMES), as bytes. */
const CONDITION_BYTES = CONDITION_NAMES.map((k) => Buffer.from(k, 'latin1'));

/** JavaScript's trim() of an ASCII byte: tab, line feed, vertical tab, form feed, carriage return, space. */
function blank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Does the conditions-used field `buf[start, end)` name a condition: parseConditionsUsed(decodeAnalyticsField(field))
 * !== undefined, read from the bytes (every write and failure asks; decoding, splitting and parsing it made a
 * string and an object each time). A field with an `&` (an entity) or a byte past ASCII (Unicode blanks, case rules)
 * is decoded and parsed as before.
 */
export function loggedCondition(buf: Buffer, start: number, end: number): boolean {
  let from = start;
  let to = end;
  if (to - from >= 2 && buf[from] === QUOTE && buf[to - 1] === QUOTE) {
    from++;
    to--;
  }
  for (let i = from; i < to; i++)
    if (buf[i]! >= 0x80 || buf[i] === AMP)
      return parseConditionsUsed(decodeAnalyticsField(buf.toString('utf8', start, end))) !== undefined;
  // Each `;`-separated part: its name is what comes before its first `=`, when that is not its first character.
  for (let p = from; p <= to;) {
    let q = p;
    while (q < to && buf[q] !== 59) q++;
    let eq = p;
    while (eq < q && buf[eq] !== 61) eq++;
    if (eq > p && eq < q && named(buf, p, eq)) return true;
    p = q + 1;
  }
  return false;
}

/** Is `buf[from, to)`, trimmed and lower-cased, one of CONDITION_BYTES? */
function named(buf: Buffer, from: number, to: number): boolean {
  while (from < to && blank(buf[from]!)) from++;
  while (to > from && blank(buf[to - 1]!)) to--;
  next: for (const name of CONDITION_BYTES) {
    if (name.length !== to - from) continue;
    for (let i = 0; i < name.length; i++) {
      const c = buf[from + i]!;
      if ((c >= 65 && c <= 90 ? c + 32 : c) !== name[i]) continue next;
    }
    return true;
  }
  return false;
}
