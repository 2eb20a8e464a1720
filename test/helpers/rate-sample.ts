/** A day of hourly buckets with a deploy at 14:00 that cut the failure rate: input for the chart helpers' tests. */
import type { RateBucket } from '../../src/render/html/chart.js';

export const SERIES: RateBucket[] = Array.from({ length: 24 }, (_, h) => ({
  start: `2026-11-24T${String(h).padStart(2, '0')}:00:00.000Z`,
  requests: h === 3 ? 0 : 1000 + h * 10,
  failures: h === 3 ? 0 : h < 14 ? 40 + (h % 5) * 6 : 4 + (h % 3),
}));

export const DEPLOY = { at: '2026-11-24T14:00:00.000Z', before: 0.05, after: 0.004 };

export const HOT_BLOBS = [
  { blob: 'releases/manifest.json', requests: 9000, failures: 410 },
  { blob: 'state/terraform.tfstate', requests: 1200, failures: 120 },
  { blob: 'checkpoints/0/owner', requests: 3000, failures: 12 },
];
