/**
 * AssemblyScript (https://www.assemblyscript.org), compiled to WebAssembly by scripts/build-wasm.mjs into
 * analytics-scan.wasm.ts: the byte loop of `cnm stats`'s `$logs` fast path (analytics-fast.ts). A loop over
 * every byte of a 600 MB log costs over a second in JavaScript; here it is a fraction of that. It finds each
 * line's field starts, the blob key's span and hash, and the digits and bytes every request is counted by (time,
 * status, the operation's verb, whether conditions were logged): what they mean stays in analytics-fast.ts. Any
 * doubt is left to JavaScript: a quote that does not close a field or an `&` outside quotes (-1: the careful split
 * there), more fields than any version has (0).
 *
 * Memory: the run's table of blobs seen from SEEN_AT and the counts `tally` keeps from COUNTS_AT (both for the
 * whole run); then, laid out per call by the caller, the lines' bytes from LINES_AT (a line's offsets are counted
 * from there), `spans` (two i32 a line: start, end, or -1 for a line too long to read), `out` (STRIDE i32 a line,
 * below).
 */

/** i32 a line in `out`: [0] the field count n (0 or -1 as above); [1..n+1] each field's start, then the line's end
 * + 1; [KEY] 1 when the object key names a blob, else -1; [KEY+1..KEY+3] its start, its second `/`, its end;
 * [KEY+4] the FNV-1a hash of `/owner/container/blob` with the owner lower-cased; [TIME] the start time's day as
 * yyyymmdd (-1 when the time is not `yyyy-mm-ddThh:…` with at least 20 characters and an hour up to 23),
 * [TIME+1] its hour, [TIME+2] the milliseconds into the hour (-1 when the rest is not `mm:ss` then `Z` or a
 * fraction of 3 to 9 digits and `Z`); [STATUS] the HTTP status when it is three digits, else -1; [FLAGS] READS
 * when the operation is a read, CONDITIONS when conditions-used is not empty, LIGHT (below). Set only for a line of
 * more than KEY_FIELD + 1 fields (the rest is not a `$logs` line). */
const STRIDE: i32 = 52;
const KEY: i32 = 41;
const TIME: i32 = 46;
const STATUS: i32 = 49;
const FLAGS: i32 = 50;
const READS: i32 = 1;
const CONDITIONS: i32 = 2;
/**
 * Set when the line is surely a read counted by its time and key alone (analytics-fast.ts `light`): a version this
 * reads, a blob key, the time and status in shape, no failure, 304 or 409, a read's verb, no conditions, none of
 * the fields read as written quoted. Its hour may still not be a date (a 13th month): JavaScript checks that.
 */
const LIGHT: i32 = 4;
/** Field count of `$logs` 2.0 (38) and a little over: a line with more is not a `$logs` line. */
const MAX_FIELDS: i32 = 39;
/** The object key (requested-object-key) and the owner account (owner-account-name), by field index. */
const KEY_FIELD: i32 = 12;
const OWNER_FIELD: i32 = 9;
const TIME_FIELD: i32 = 1;
const OPERATION_FIELD: i32 = 2;
const STATUS_FIELD: i32 = 4;
const CONDITIONS_FIELD: i32 = 26;

const SEMI: u8 = 59;
const QUOTE: u8 = 34;
const AMP: u8 = 38;
const SLASH: u8 = 47;
const COLON: u8 = 58;
const DASH: u8 = 45;
const DOT: u8 = 46;
const T: u8 = 84;
const Z: u8 = 90;

/** core/stats/seen-blobs.ts's table (2^20 groups of four 16-bit slots, `fingerprint << 2 | state`): 8 MB. */
const SEEN_AT: usize = 0;
const GROUP_BITS: u32 = 20;
const GROUP_MASK: u32 = (1 << GROUP_BITS) - 1;
/** i32s: the reads `tally` counted, before and after the deploy, out of range; then one per bucket (10,000 at most). */
const COUNTS_AT: usize = 8 << 20;
const REQUESTS: usize = COUNTS_AT;
const BEFORE: usize = COUNTS_AT + 4;
const AFTER: usize = COUNTS_AT + 8;
const OUT_OF_RANGE: usize = COUNTS_AT + 12;
const PER_BUCKET: usize = COUNTS_AT + 16;
const MAX_BUCKETS: i32 = 10_000;
/** What `scan` read of the table of blobs seen, written so that the reads are not optimised away. */
const WARMTH: usize = COUNTS_AT + 65_532;
const LINES_AT: usize = COUNTS_AT + 65_536;

/** Where the caller puts the lines' bytes (offset 0 of a line's spans). */
export function linesAt(): usize {
  return LINES_AT;
}

/** Where the counts of `tally` are (the layout above). */
export function countsAt(): usize {
  return COUNTS_AT;
}

function at(i: i32): u8 {
  return load<u8>(<usize>i, LINES_AT);
}

function lower(c: u32): u32 {
  return c - 65 < 26 ? c | 32 : c;
}

/**
 * Field starts of bytes [start, end) into `fields` (i32 each); the field count, or 0 / -1 as above. Sixteen bytes at
 * a time (WebAssembly SIMD): a mask of the `;`, `"` and `&` among them, then only those visited. Inside a quoted
 * value only its closing quote matters, and it must end the field. (The caller's memory runs on past the last
 * line, so a load that crosses a line's end reads bytes it then masks off.)
 */
function split(start: i32, end: i32, fields: usize): i32 {
  const semis = i8x16.splat(SEMI);
  const quotes = i8x16.splat(QUOTE);
  const amps = i8x16.splat(AMP);
  let n: i32 = 0;
  let quoted = false;
  store<i32>(fields, start);
  for (let p = start; p < end; p += 16) {
    const v = v128.load(<usize>p, LINES_AT);
    let mask = <u32>i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, semis), i8x16.eq(v, quotes)), i8x16.eq(v, amps)));
    if (end - p < 16) mask &= ((<u32>1) << (end - p)) - 1;
    while (mask != 0) {
      const i = p + <i32>ctz(mask);
      mask &= mask - 1;
      const c = at(i);
      if (quoted) {
        if (c != QUOTE) continue;
        quoted = false;
        if (i + 1 != end && at(i + 1) != SEMI) return -1;
      } else if (c == SEMI) {
        if (++n >= MAX_FIELDS) return 0;
        store<i32>(fields + ((<usize>n) << 2), i + 1);
      } else if (c == QUOTE) quoted = true;
      else return -1;
    }
  }
  if (quoted) return -1;
  store<i32>(fields + ((<usize>(n + 1)) << 2), end + 1);
  return n + 1;
}

/** The object key's span and hash into `key` (i32 each), as the comment on STRIDE says. */
function blobKey(fields: usize, key: usize): void {
  let s = load<i32>(fields + ((<usize>KEY_FIELD) << 2));
  let e = load<i32>(fields + ((<usize>(KEY_FIELD + 1)) << 2)) - 1;
  store<i32>(key, -1);
  if (e - s >= 2 && at(s) == QUOTE && at(e - 1) == QUOTE) {
    s++;
    e--;
  }
  if (s >= e || at(s) != SLASH) return;
  // One pass over the key: the hash of the owner (the owner-account-name field, else the key's first segment,
  // lower-cased) then of the key from its second `/` on, made as the slashes are found.
  let h: u32 = 0x811c9dc5;
  const from = load<i32>(fields + ((<usize>OWNER_FIELD) << 2));
  const to = load<i32>(fields + ((<usize>(OWNER_FIELD + 1)) << 2)) - 1;
  const owned = to > from;
  if (owned) for (let i = from; i < to; i++) h = (h ^ lower(<u32>at(i))) * 0x01000193;
  let second: i32 = -1;
  let third: i32 = -1;
  for (let i = s + 1; i < e; i++) {
    const c = at(i);
    if (c == AMP) return;
    if (c == SLASH) {
      if (second < 0) second = i;
      else if (third < 0) third = i;
    }
    if (second >= 0) h = (h ^ (<u32>c)) * 0x01000193;
    else if (!owned) h = (h ^ lower(<u32>c)) * 0x01000193;
  }
  // A container's own key, an empty container or blob name: JavaScript reads those.
  if (third < 0 || third == second + 1 || third == e - 1) return;
  store<i32>(key, 1);
  store<i32>(key + 4, s);
  store<i32>(key + 8, second);
  store<i32>(key + 12, e);
  store<u32>(key + 16, h);
}

/** The `n` bytes at `at` as a decimal number, or -1 when one is not a digit. */
function digits(at: i32, n: i32): i32 {
  let v: i32 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const d = <i32>load<u8>(<usize>(at + i), LINES_AT) - 48;
    if (<u32>d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function fieldStart(fields: usize, i: i32): i32 {
  return load<i32>(fields + ((<usize>i) << 2));
}

function fieldSize(fields: usize, i: i32): i32 {
  return fieldStart(fields, i + 1) - 1 - fieldStart(fields, i);
}

/** `READS` when the operation starts with a read's verb (Get, List, Query, Head, Find), as failure.ts isWrite. */
function readVerb(s: i32): i32 {
  const c = at(s);
  // The verbs' bytes after their first, little-endian: "et", "ist", "uery", "ead", "ind".
  if (c == 71) return load<u16>(<usize>(s + 1), LINES_AT) == 0x7465 ? READS : 0;
  if (c == 76) return load<u16>(<usize>(s + 1), LINES_AT) == 0x7369 && at(s + 3) == 116 ? READS : 0;
  if (c == 81) return load<u32>(<usize>(s + 1), LINES_AT) == 0x79726575 ? READS : 0;
  if (c == 72) return load<u16>(<usize>(s + 1), LINES_AT) == 0x6165 && at(s + 3) == 100 ? READS : 0;
  if (c == 70) return load<u16>(<usize>(s + 1), LINES_AT) == 0x6e69 && at(s + 3) == 100 ? READS : 0;
  return 0;
}

/**
 * The milliseconds into the hour of `mm:ss` at `at` and what follows to the field's end (`size` bytes from the
 * time's start): `Z`, or `.`, three to nine digits and `Z`, as the full parse reads it (log-entry.ts ISO_UTC);
 * -1 for anything else, left to the full parse.
 */
function withinHour(s: i32, size: i32): i32 {
  const min = digits(s + 14, 2);
  const sec = digits(s + 17, 2);
  if (<u32>min > 59 || <u32>sec > 59 || at(s + size - 1) != Z) return -1;
  let ms: i32 = 0;
  if (size != 20) {
    const fraction = size - 21;
    if (fraction < 3 || fraction > 9 || at(s + 19) != DOT || digits(s + 20, fraction) < 0) return -1;
    ms = digits(s + 20, 3);
  }
  return min * 60000 + sec * 1000 + ms;
}

/** Exactly `1.0` with 30 fields or `2.0` with 38 (analytics-fast.ts `known`). */
function knownVersion(fields: usize, n: i32): bool {
  const s = fieldStart(fields, 0);
  if (fieldSize(fields, 0) != 3 || at(s + 1) != DOT || at(s + 2) != 48) return false;
  return (n == 38 && at(s) == 50) || (n == 30 && at(s) == 49);
}

/**
 * None of the fields analytics-fast.ts reads as written (RAW_FIELDS) is quoted, and the operation is not empty (an
 * `&` outside quotes never reaches here: split returned -1).
 */
function rawFields(fields: usize): bool {
  if (fieldSize(fields, OPERATION_FIELD) == 0) return false;
  return (
    at(fieldStart(fields, 2)) != QUOTE &&
    at(fieldStart(fields, 3)) != QUOTE &&
    at(fieldStart(fields, 7)) != QUOTE &&
    at(fieldStart(fields, 8)) != QUOTE &&
    at(fieldStart(fields, 9)) != QUOTE &&
    at(fieldStart(fields, 15)) != QUOTE
  );
}

/** The time, status and flags of a line of `n` fields into `o` (as the comment on STRIDE says). */
function counted(fields: usize, n: i32, o: usize): void {
  const s = fieldStart(fields, TIME_FIELD);
  const size = fieldSize(fields, TIME_FIELD);
  let day: i32 = -1;
  let within: i32 = -1;
  let hour: i32 = 0;
  if (
    size >= 20 &&
    at(s + 13) == COLON &&
    at(s + 16) == COLON &&
    at(s + 4) == DASH &&
    at(s + 7) == DASH &&
    at(s + 10) == T
  ) {
    const y = digits(s, 4);
    const m = digits(s + 5, 2);
    const d = digits(s + 8, 2);
    hour = digits(s + 11, 2);
    if (y >= 0 && m >= 0 && d >= 0 && <u32>hour <= 23) {
      day = y * 10000 + m * 100 + d;
      within = withinHour(s, size);
    }
  }
  store<i32>(o + ((<usize>TIME) << 2), day);
  store<i32>(o + ((<usize>(TIME + 1)) << 2), hour);
  store<i32>(o + ((<usize>(TIME + 2)) << 2), within);
  const status = fieldSize(fields, STATUS_FIELD) == 3 ? digits(fieldStart(fields, STATUS_FIELD), 3) : -1;
  store<i32>(o + ((<usize>STATUS) << 2), status);
  let flags = readVerb(fieldStart(fields, OPERATION_FIELD));
  if (n > CONDITIONS_FIELD && fieldSize(fields, CONDITIONS_FIELD) > 0) flags |= CONDITIONS;
  if (
    flags == READS &&
    day >= 0 &&
    within >= 0 &&
    status >= 0 &&
    status != 304 &&
    status != 409 &&
    status != 412 &&
    load<i32>(o + ((<usize>KEY) << 2)) == 1 &&
    knownVersion(fields, n) &&
    rawFields(fields)
  )
    flags |= LIGHT;
  store<i32>(o + ((<usize>FLAGS) << 2), flags);
}

/** Every line of `spans` (`lines` of them) into `out`. */
export function scan(spans: usize, lines: i32, out: usize): void {
  for (let l: i32 = 0; l < lines; l++) {
    const start = load<i32>(spans + ((<usize>l) << 3));
    const end = load<i32>(spans + ((<usize>l) << 3) + 4);
    const o = out + <usize>(l * STRIDE) * 4;
    const n = start < 0 ? 0 : split(start, end, o + 4);
    store<i32>(o, n);
    if (n > KEY_FIELD + 1) {
      blobKey(o + 4, o + ((<usize>KEY) << 2));
      counted(o + 4, n, o);
    } else {
      // Every slot the reader looks at is written: the memory holds the last scan's lines (a stale LIGHT counted a
      // blank line as the read that was there before).
      store<i32>(o + ((<usize>KEY) << 2), -1);
      store<i32>(o + ((<usize>FLAGS) << 2), 0);
    }
  }
}

/**
 * The groups `tally` will look up for the `lines` lines of `out`, touched in one loop of independent loads: their
 * cache misses overlap, where one by one between the lines' other work each waits alone (they were most of tally's
 * time). Called by the thread that tallies, after `scan` (which may have run on another thread).
 */
export function warm(out: usize, lines: i32): void {
  let sum: u32 = 0;
  for (let l: i32 = 0; l < lines; l++) {
    const o = out + <usize>(l * STRIDE) * 4;
    const hash = load<u32>(o + ((<usize>(KEY + 4)) << 2));
    sum += load<u16>(SEEN_AT + ((<usize>(hash & GROUP_MASK)) << 3));
  }
  store<u32>(WARMTH, sum);
}

/** Days from 1970-01-01 to the civil date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"); a day past
 * its month's end runs into the next month, as Date.parse reads `2026-02-30`. */
function daysFromCivil(year: i32, m: i32, d: i32): i32 {
  const y = m <= 2 ? year - 1 : year;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yoe = y - era * 400;
  const doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
}

/**
 * Counts the plain reads among lines `from` to `to` of the last scan (out: its `out`), as core/stats/aggregate.ts
 * countRead counts them, until a line it cannot count: a line without the LIGHT flag, a date Date.parse would not
 * read (a month outside 1-12, a day outside 1-31), a blob the table of blobs seen holds already or has no room for.
 * Returns that line (`to` when every line was counted): the caller reads it, then asks again from the next, so
 * the table sees every request in the order of the log. `deployed`: NaN when there is no deploy.
 */
export function tally(
  out: usize,
  from: i32,
  to: i32,
  since: f64,
  until: f64,
  first: f64,
  size: f64,
  buckets: i32,
  deployed: f64,
): i32 {
  for (let l = from; l < to; l++) {
    const o = out + <usize>(l * STRIDE) * 4;
    if ((load<i32>(o + ((<usize>FLAGS) << 2)) & LIGHT) == 0) return l;
    const day = load<i32>(o + ((<usize>TIME) << 2));
    const m = (day / 100) % 100;
    const d = day % 100;
    if (<u32>(m - 1) > 11 || <u32>(d - 1) > 30) return l;
    const hour = load<i32>(o + ((<usize>(TIME + 1)) << 2));
    const within = load<i32>(o + ((<usize>(TIME + 2)) << 2));
    // As JavaScript adds them: the hour's start (an integer of ms, exact in a double), then the ms into it.
    const t = <f64>daysFromCivil(day / 10000, m, d) * 86_400_000.0 + <f64>(hour * 3_600_000) + <f64>within;
    if (!(t >= since && t < until)) {
      store<i32>(OUT_OF_RANGE, load<i32>(OUT_OF_RANGE) + 1);
      continue;
    }
    const hash = load<u32>(o + ((<usize>(KEY + 4)) << 2));
    const fp = (hash >> GROUP_BITS) & 0xfff;
    const group = SEEN_AT + ((<usize>(hash & GROUP_MASK)) << 3);
    let slot: isize = -1;
    for (let k: usize = 0; k < 8; k += 2) {
      const e = <u32>load<u16>(group + k);
      if (e == 0) {
        slot = <isize>(group + k);
        break;
      }
      // Seen before: its record decides (the caller's path).
      if (e >> 2 == fp) return l;
    }
    const bucket = <i32>Math.floor((t - first) / size);
    if (slot < 0 || <u32>bucket >= <u32>min(buckets, MAX_BUCKETS)) return l;
    store<u16>(<usize>slot, <u16>((fp << 2) | 1));
    store<i32>(REQUESTS, load<i32>(REQUESTS) + 1);
    const b = PER_BUCKET + ((<usize>bucket) << 2);
    store<i32>(b, load<i32>(b) + 1);
    if (deployed == deployed) {
      const side = t < deployed ? BEFORE : AFTER;
      store<i32>(side, load<i32>(side) + 1);
    }
  }
  return to;
}
