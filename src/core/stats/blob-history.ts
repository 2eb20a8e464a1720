/**
 * The last few requests of recently active blobs, so each failure's origin can be read from what came before it on
 * the same blob (core/diagnose/origin.ts). Bounded on both sides: at most `maxBlobs` blobs (least recently used
 * leaves first) and `perBlob` requests each, whatever the log holds. Pure.
 */
import type { Observed } from '../diagnose/types.js';

export class BlobHistory {
  private readonly blobs = new Map<string, Observed[]>();

  constructor(
    private readonly maxBlobs = 4096,
    private readonly perBlob = 8,
  ) {}

  of(key: string): readonly Observed[] {
    return this.blobs.get(key) ?? [];
  }

  push(key: string, o: Observed): void {
    const list = this.blobs.get(key);
    if (list) {
      // Re-inserted: the Map's order is its recency.
      this.blobs.delete(key);
      list.push(o);
      if (list.length > this.perBlob) list.shift();
      this.blobs.set(key, list);
      return;
    }
    this.blobs.set(key, [o]);
    if (this.blobs.size > this.maxBlobs) this.blobs.delete(this.blobs.keys().next().value!);
  }
}
