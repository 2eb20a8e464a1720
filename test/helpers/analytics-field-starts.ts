/**
 * Where each field of a `$logs` line starts, and one past its end, as splitAnalyticsLine splits it: the bounds the
 * full parse may be given instead of splitting the line again (storage-analytics-log.ts parseAnalyticsLine).
 */
import { splitAnalyticsLine } from '../../src/parse/storage-analytics-log.js';

export function fieldStarts(line: string): number[] {
  const at = [0];
  for (const f of splitAnalyticsLine(line)) at.push(at.at(-1)! + f.length + 1);
  return at;
}
