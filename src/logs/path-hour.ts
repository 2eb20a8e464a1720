/**
 * The hour a log file covers, read from where it lives: Storage Analytics names blobs
 * `blob/YYYY/MM/DD/hhmm/<n>.log` and archived resource logs live under `y=YYYY/m=MM/d=DD/h=HH/`
 * (learn.microsoft.com/azure/storage/common/storage-analytics-logging;
 * learn.microsoft.com/azure/azure-monitor/essentials/resource-logs, "Send to Azure Storage"). Files outside the
 * time bounds are skipped without being opened.
 */
const ANALYTICS = /(?:^|[\\/])(\d{4})[\\/](\d{2})[\\/](\d{2})[\\/](\d{2})\d{2}(?:[\\/]|$)/;
const MONITOR = /y=(\d{4})[\\/]m=(\d{2})[\\/]d=(\d{2})[\\/]h=(\d{2})/i;

/** Epoch ms of the start of the hour the path names, or undefined when it follows neither layout. */
export function hourOfPath(path: string): number | undefined {
  const m = MONITOR.exec(path) ?? ANALYTICS.exec(path);
  if (!m) return undefined;
  const [, y, mo, d, h] = m.map(Number) as [number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h);
  return Number.isNaN(ms) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ? undefined : ms;
}
