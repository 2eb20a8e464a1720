/**
 * The worker thread of `cnm stats` (a separate entry of the bundle, scripts/build.mjs): it judges the failures the
 * main thread sends, a batch at a time, and answers each batch's details in the order received, while the main
 * thread goes on reading the log. See judge-on-worker.ts.
 */
import { parentPort } from 'node:worker_threads';
import { judgeItem, RebuiltCache, type SentItem } from './judge-item.js';

const cache = new RebuiltCache();
parentPort!.on('message', (items: SentItem[]) => {
  parentPort!.postMessage(items.map((item) => judgeItem(item, cache)));
});
