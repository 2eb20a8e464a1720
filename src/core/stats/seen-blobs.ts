/**
 * The blobs a stats run has seen, by their key's 32-bit hash, in a fixed 8 MB whatever the log: what lets a read of
 * a blob seen once be counted from its hash alone (aggregate.ts `admit`), most blobs of a big log being read once.
 *
 * A table of groups of four 16-bit slots, each `fingerprint << 2 | state` (0: empty). A key's group is its hash's
 * low GROUP_BITS bits, its fingerprint the 12 bits above; a group fills from its first slot and is never emptied,
 * so the first empty slot ends a search. When a key's group is full the key is `UNKNOWN`: it is counted by its full
 * record, every time, never passed over. Two keys alike in their low 32 bits, or in group and fingerprint (about one
 * in 4,096 of the keys that share a group), are taken for one, as any hash set of this size would.
 *
 * The same layout is read by the WebAssembly scanner (parse/wasm/analytics-scan.as.ts `tally`), which counts plain
 * reads into this table in place: the bytes can live in its memory (`bytes` is asked again when it moved). Pure.
 */

/** Never seen. */
export const UNSEEN = 0;
/** Seen once, a read passed over (not counted per blob). */
export const PASSED = 1;
/** Counted per blob. */
export const COUNTED = 2;
/** Its group is full: the table cannot say. */
export const UNKNOWN = 3;

export type SeenState = typeof UNSEEN | typeof PASSED | typeof COUNTED | typeof UNKNOWN;

/**
 * A blob's state after one more request of it (aggregate.ts countRead and admit): the first plain read (no write, no
 * failure, no 304) of a blob never seen is passed over; any other request has it counted from then on; a blob the
 * table cannot hold stays unknown. The scan thread applies the same rule ahead of the main thread
 * (logs/scan-worker.ts).
 */
export function seenAfter(state: SeenState, plainRead: boolean): SeenState {
  if (state >= COUNTED) return state;
  return plainRead && state === UNSEEN ? PASSED : COUNTED;
}

const GROUP_BITS = 20;
const GROUP_MASK = (1 << GROUP_BITS) - 1;
const SLOTS = 4;
/** 16-bit slots in the table: 2^20 groups of 4, 8 MB. */
export const SEEN_SLOTS = SLOTS << GROUP_BITS;

function fingerprintOf(hash: number): number {
  return (hash >>> GROUP_BITS) & 0xfff;
}

export class SeenBlobs {
  private view: Uint16Array | undefined;
  /**
   * Set while a request whose change to the table another thread has made already is counted (the scan thread keeps
   * the table ahead of the main thread, scan-worker.ts): its blob's state before it. Then get answers it, and set
   * changes nothing.
   */
  private told = -1;

  /** `bytes`: the table's SEEN_SLOTS slots, zeroed at first (by default, its own). */
  constructor(private readonly bytes: () => Uint16Array = ownTable()) {}

  private table(): Uint16Array {
    // A view of a WebAssembly memory that has grown since is detached (length 0): asked again.
    if (!this.view?.length) this.view = this.bytes();
    return this.view;
  }

  /** The slot of `hash`: its own, or the first empty one of its group (-1: the group is full). */
  private slot(table: Uint16Array, hash: number): number {
    const fp = fingerprintOf(hash);
    const g = (hash & GROUP_MASK) * SLOTS;
    for (let s = g; s < g + SLOTS; s++) {
      const e = table[s]!;
      if (e === 0 || e >>> 2 === fp) return s;
    }
    return -1;
  }

  /** The state of the blob of the request counted next, told by the thread that applied it (-1: ask the table). */
  tell(state: SeenState | -1): void {
    this.told = state;
  }

  get(hash: number): SeenState {
    if (this.told >= 0) return this.told as SeenState;
    const table = this.table();
    const s = this.slot(table, hash);
    return s < 0 ? UNKNOWN : ((table[s]! & 3) as SeenState);
  }

  /** Records `state` for `hash`; nothing when its group is full, or for UNSEEN and UNKNOWN (no state to keep). */
  set(hash: number, state: SeenState): void {
    if (this.told >= 0 || state === UNSEEN || state === UNKNOWN) return;
    const table = this.table();
    const s = this.slot(table, hash);
    if (s >= 0) table[s] = (fingerprintOf(hash) << 2) | state;
  }
}

function ownTable(): () => Uint16Array {
  let table: Uint16Array | undefined;
  return () => (table ??= new Uint16Array(SEEN_SLOTS));
}
