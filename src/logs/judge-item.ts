/**
 * One failure as it crosses to the thread that judges it (judge-on-worker.ts): the failure and the blob's last
 * requests before it, as plain data, rebuilt and judged with the same classifier as on the main thread.
 *
 * A busy blob's history is mostly the same few requests from one failure to the next, so each request crosses
 * once: the receiving side keeps the last CACHED requests it rebuilt (RebuiltCache), the sending side keeps the
 * same list (SentCache) and sends a request it holds as its order alone. Both add and drop in the same order
 * (first in, first out, in the order the requests are sent), so they always hold the same requests.
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

/** Keeps at most `CACHED` keys, dropping the oldest added (a ring of the keys: no iterator made per add). */
class FifoMap<V> {
  private readonly map = new Map<number, V>();
  private readonly ring = new Float64Array(CACHED);
  private next = 0;
  get(k: number): V | undefined {
    return this.map.get(k);
  }
  add(k: number, v: V): void {
    if (this.map.has(k)) return void this.map.set(k, v);
    if (this.map.size >= CACHED) this.map.delete(this.ring[this.next]!);
    this.ring[this.next] = k;
    this.next = (this.next + 1) % CACHED;
    this.map.set(k, v);
  }
}

/** The sending side's copy of what the receiving side holds. */
export class SentCache {
  private readonly held = new FifoMap<true>();

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
  private readonly map = new FifoMap<Observed>();

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
