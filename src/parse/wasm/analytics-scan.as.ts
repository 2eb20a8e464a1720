/**
 * AssemblyScript (https://www.assemblyscript.org), compiled to WebAssembly by scripts/build-wasm.mjs into
 * analytics-scan.wasm.ts: the byte loop of `cnm stats`'s `$logs` fast path (analytics-fast.ts). A loop over
 * every byte of a 600 MB log costs over a second in JavaScript; here it is a fraction of that. It finds each
 * line's field starts and the blob key's span and hash, and nothing else: what the numbers mean stays in
 * analytics-fast.ts, which checks them as it did its own. Any doubt is left to JavaScript: a quote that does not
 * close a field or an `&` outside quotes (-1: the careful split there), more fields than any version has (0).
 *
 * Memory, laid out per call by the caller: the lines' bytes from 0, `spans` (two i32 a line: start, end, or -1
 * for a line too long to read), `out` (STRIDE i32 a line, below).
 */

/** i32 a line in `out`: [0] the field count n (0 or -1 as above); [1..n+1] each field's start, then the line's end
 * + 1; [KEY] 1 when the object key names a blob, else -1; [KEY+1..KEY+3] its start, its second `/`, its end;
 * [KEY+4] the FNV-1a hash of `/owner/container/blob` with the owner lower-cased. */
const STRIDE: i32 = 48;
const KEY: i32 = 41;
/** Field count of `$logs` 2.0 (38) and a little over: a line with more is not a `$logs` line. */
const MAX_FIELDS: i32 = 39;
/** The object key (requested-object-key) and the owner account (owner-account-name), by field index. */
const KEY_FIELD: i32 = 12;
const OWNER_FIELD: i32 = 9;

const SEMI: u8 = 59;
const QUOTE: u8 = 34;
const AMP: u8 = 38;
const SLASH: u8 = 47;

function at(i: i32): u8 {
  return load<u8>(<usize>i);
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
    const v = v128.load(<usize>p);
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
  let second: i32 = -1;
  let third: i32 = -1;
  for (let i = s + 1; i < e; i++) {
    const c = at(i);
    if (c == AMP) return;
    if (c == SLASH) {
      if (second < 0) second = i;
      else if (third < 0) third = i;
    }
  }
  // A container's own key, an empty container or blob name: JavaScript reads those.
  if (third < 0 || third == second + 1 || third == e - 1) return;
  let h: u32 = 0x811c9dc5;
  let from = load<i32>(fields + ((<usize>OWNER_FIELD) << 2));
  let to = load<i32>(fields + ((<usize>(OWNER_FIELD + 1)) << 2)) - 1;
  if (to <= from) {
    from = s + 1;
    to = second;
  }
  for (let i = from; i < to; i++) h = (h ^ lower(<u32>at(i))) * 0x01000193;
  for (let i = second; i < e; i++) h = (h ^ (<u32>at(i))) * 0x01000193;
  store<i32>(key, 1);
  store<i32>(key + 4, s);
  store<i32>(key + 8, second);
  store<i32>(key + 12, e);
  store<u32>(key + 16, h);
}

/** Every line of `spans` (`lines` of them) into `out`. */
export function scan(spans: usize, lines: i32, out: usize): void {
  for (let l: i32 = 0; l < lines; l++) {
    const start = load<i32>(spans + ((<usize>l) << 3));
    const end = load<i32>(spans + ((<usize>l) << 3) + 4);
    const o = out + <usize>(l * STRIDE) * 4;
    const n = start < 0 ? 0 : split(start, end, o + 4);
    store<i32>(o, n);
    if (n > KEY_FIELD + 1) blobKey(o + 4, o + ((<usize>KEY) << 2));
    else store<i32>(o + ((<usize>KEY) << 2), -1);
  }
}
