/**
 * The failure rate per bucket as a terminal chart: one row per bucket, a bar as long as the rate (against the
 * highest), expected contention drawn apart, empty buckets shown as such. Block characters on a colour terminal,
 * plain ASCII under --no-color and when not a TTY (a log file, a CI step), so the chart survives any pipe.
 */
import type { StatsBucket } from '../core/stats/types.js';
import type { RenderStyle } from './style.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

export function percent(rate: number): string {
  return `${(rate * 100).toFixed(rate > 0 && rate < 0.001 ? 3 : 2)}%`;
}

/** `HH:MM` within one day, `MM-DD HH:MM` across days, the date alone for buckets of a day or more. */
function label(start: string, series: readonly StatsBucket[], bucketMs: number): string {
  if (bucketMs >= 86_400_000) return start.slice(0, 10);
  const oneDay = series[0]?.start.slice(0, 10) === series.at(-1)?.start.slice(0, 10);
  return oneDay ? start.slice(11, 16) : `${start.slice(5, 10)} ${start.slice(11, 16)}`;
}

function bar(cells: number, plain: boolean, char: string): string {
  if (plain) return char.repeat(Math.round(cells));
  const whole = Math.floor(cells);
  return '█'.repeat(whole) + EIGHTHS[Math.round((cells - whole) * 8) % 8];
}

export function rateRows(series: readonly StatsBucket[], s: RenderStyle): string[] {
  const plain = s.chalk.level === 0;
  const width = Math.max(10, Math.min(50, (s.width ?? 120) - 50));
  const max = Math.max(0, ...series.map((b) => (b.requests ? b.failures / b.requests : 0)));
  const bucketMs = series.length > 1 ? Date.parse(series[1]!.start) - Date.parse(series[0]!.start) : 3_600_000;
  const counts = series.map((b) => `${b.failures} of ${b.requests}`);
  const countWidth = Math.max(...counts.map((c) => c.length));
  return series.map((b, i) => {
    const name = label(b.start, series, bucketMs).padEnd(11);
    if (b.requests === 0) return `  ${name} ${s.chalk.dim(plain ? '. no requests' : '· no requests')}`;
    const rate = b.failures / b.requests;
    const cells = max ? (rate / max) * width : 0;
    const expectedCells = b.failures ? (cells * b.expected) / b.failures : 0;
    const drawn =
      s.chalk.red(bar(cells - expectedCells, plain, '#')) +
      s.chalk.yellow(plain ? '-'.repeat(Math.round(expectedCells)) : '░'.repeat(Math.round(expectedCells)));
    const pad = ' '.repeat(Math.max(0, width + 1 - Math.round(cells)));
    return `  ${name} ${drawn}${pad} ${percent(rate).padStart(7)}  ${counts[i]!.padStart(countWidth)}`;
  });
}
