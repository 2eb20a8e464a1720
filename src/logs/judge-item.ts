/**
 * One failure as it crosses to the thread that judges it (judge-on-worker.ts): the failure and the blob's last
 * requests before it, as plain data, rebuilt and judged with the same classifier as on the main thread.
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

/**
 * Requests rebuilt recently, by their order among everything read: a busy blob's history is mostly the same
 * few requests from one failure to the next, so each line is parsed about once.
 */
export class RebuiltCache {
  private readonly map = new Map<number, Observed>();
  constructor(private readonly capacity = 4096) {}

  get(p: PortableRecord): Observed {
    if ('observed' in p) return p.observed;
    let o = this.map.get(p.order);
    if (!o) {
      o = observedOfPortable(p);
      if (this.map.size >= this.capacity) this.map.delete(this.map.keys().next().value!);
      this.map.set(p.order, o);
    }
    return o;
  }
}

export function judgeItem(item: JudgeItem, cache: RebuiltCache): FailureDetails {
  return judgeFailure(
    cache.get(item.failed),
    item.history.map((p) => cache.get(p)),
    item.expected,
  );
}
