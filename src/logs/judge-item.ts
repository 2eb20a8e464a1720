/**
 * One failure as it crosses to the thread that judges it (judge-on-worker.ts): the failure and the blob's last
 * requests before it, as plain data, rebuilt and judged with the same classifier as on the main thread.
 *
 * A busy blob's history is mostly the same few requests from one failure to the next, so each request crosses
 * once: the receiving side keeps the requests it rebuilt, one per slot (RebuiltCache), the sending side keeps the
 * same slots (SentCache) and sends a request it holds as its order alone. Both fill the same slots in the same
 * order (the order the requests are sent), so they always hold the same requests.
 */
import type { Observed } from '../core/diagnose/types.js';
import { judgeFailure, type FailureDetails } from '../core/stats/failure-judge.js';
import type { PortableRecord } from '../core/stats/record.js';
import { observedOfPortable } from '../parse/analytics-fast.js';

export interface JudgeItem {
  failed: PortableRecord;
  history: PortableRecord[];
  expected: boolean;
}

/** A request as sent: whole, or its order when the other side holds it. */
type Sent = PortableRecord | number;

export interface SentItem {
  failed: Sent;
  history: Sent[];
  expected: boolean;
}

/**
 * Requests held on each side. A busy blob's failures reach back a few requests, so a few hundred serve dozens of
 * busy blobs at once; 4,096 rebuilt requests (a few KB each) outlived every young-generation collection of the
 * worker and cost it a fifth of a 600 MB run in copying (1,024 or 256: the same time).
 */
const CACHED = 1024;

function orderOf(p: PortableRecord): number {
  return 'observed' in p ? p.observed.order : p.order;
}

/**
 * Holds a value per slot, the slot of key k being k modulo CACHED: a newer key in a slot drops the older. Both sides
 * add the same keys in the same order, so they hold the same ones. (A Map dropping its oldest key was a tenth of
 * the worker's time, in its lookups and in the number it boxed per drop.)
 */
class Slots<V> {
  private readonly keys = new Float64Array(CACHED).fill(-1);
  private readonly values: Array<V | undefined> = new Array<V | undefined>(CACHED).fill(undefined);
  get(k: number): V | undefined {
    const i = k % CACHED;
    return this.keys[i] === k ? this.values[i] : undefined;
  }
  add(k: number, v: V): void {
    const i = k % CACHED;
    this.keys[i] = k;
    this.values[i] = v;
  }
}

/** The sending side's copy of what the receiving side holds. */
export class SentCache {
  private readonly held = new Slots<true>();

  private one(p: PortableRecord): Sent {
    const order = orderOf(p);
    if (this.held.get(order)) return order;
    this.held.add(order, true);
    return p;
  }

  encode(item: JudgeItem): SentItem {
    // The same order as RebuiltCache reads them: the failure, then its history.
    const failed = this.one(item.failed);
    return { failed, history: item.history.map((p) => this.one(p)), expected: item.expected };
  }
}

/** Requests rebuilt recently, by their order among everything read: each line parsed about once. */
export class RebuiltCache {
  private readonly map = new Slots<Observed>();

  get(s: Sent): Observed {
    if (typeof s === 'number') {
      const o = this.map.get(s);
      if (!o) throw new Error(`request ${s} was sent by its order, and is not held`);
      return o;
    }
    const order = orderOf(s);
    let o = this.map.get(order);
    if (!o) {
      o = observedOfPortable(s);
      this.map.add(order, o);
    }
    return o;
  }
}

export function judgeItem(item: SentItem, cache: RebuiltCache): FailureDetails {
  const failed = cache.get(item.failed);
  return judgeFailure(
    failed,
    item.history.map((p) => cache.get(p)),
    item.expected,
  );
}
