/** cnm stats as a terminal report (chart rows, ranked tables, the deploy verdict, the next command) or markdown. */
import type { StatsReport } from '../core/stats/types.js';
import { fitTable } from './layout.js';
import { percent, rateRows } from './stats-chart.js';
import { mdEscape, mdFence, type RenderStyle } from './style.js';

const n = (x: number) => x.toLocaleString('en-US');

function headline(r: StatsReport): string {
  const t = r.totals;
  const parts = [
    `${n(t.requests)} requests`,
    `${n(t.conditional)} conditional`,
    `${n(t.failures)} failures (${percent(t.rate)})`,
    `${n(t.notModified)} not modified (304)`,
  ];
  if (t.expectedContention)
    parts.push(`${n(t.expectedContention)} expected contention (without it: ${percent(t.actionableRate)})`);
  return parts.join(' · ');
}

function counted(map: Record<string, number>): string {
  const entries = Object.entries(map);
  return entries.length ? entries.map(([k, v]) => `${k} ${n(v)}`).join(' · ') : 'none';
}

function blobRows(r: StatsReport): string[][] {
  return r.blobs.map((b) => [
    b.blob + (b.expectedContention ? ` (expected: ${b.expectedContention})` : ''),
    `${n(b.requests)}${b.requestsExact ? '' : '+'}`,
    n(b.failures),
    n(b.writers),
    b.topErrorCode ?? '—',
  ]);
}

function callerRows(r: StatsReport): string[][] {
  return r.callers.map((c) => [c.caller ?? '—', c.userAgent ?? '—', c.identity ?? '—', n(c.failures)]);
}

/** No rule between rows: a ranking reads down. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

const BLOB_HEAD = ['blob', 'requests', 'failures', 'writers', 'top error code'];
const CALLER_HEAD = ['caller', 'user agent', 'identity', 'failures'];

export function compareLines(r: StatsReport): string[] {
  const c = r.compare;
  if (!c) return [];
  const side = (x: { requests: number; failures: number; rate: number }) =>
    `${percent(x.rate)} (${n(x.failures)} of ${n(x.requests)})`;
  const verdict = c.significant
    ? `the ${c.after.rate < c.before.rate ? 'drop' : 'rise'} is significant (p = ${c.pValue!.toPrecision(2)})`
    : c.pValue === null
      ? 'no test: one side has no requests'
      : `the difference may be chance (p = ${c.pValue.toPrecision(2)})`;
  return [
    `deploy at ${c.deployedAt}: before ${side(c.before)} → after ${side(c.after)}` +
      (c.ratio === null ? '' : `, ratio ${c.ratio.toFixed(2)}`),
    `${verdict}; ${c.test}, two-sided, alpha 0.05; expected contention not counted`,
  ];
}

/**
 * A table when the longest blob name fits beside the numbers; else a list, each blob under its numbers (a blob
 * name is one word, never cut, and the numbers matter more than the table's shape).
 */
function hotBlobLines(r: StatsReport, s: RenderStyle): string[] {
  const rows = blobRows(r);
  // The other columns at their widest, each padded, and the borders between them.
  const numbers = BLOB_HEAD.slice(1).reduce(
    (sum, head, i) => sum + Math.max(head.length, ...rows.map((row) => row[i + 1]!.length)) + 3,
    4,
  );
  if (Math.max(...r.blobs.map((b) => b.blob.length)) + numbers <= (s.width ?? 120)) {
    const columns = BLOB_HEAD.map((head, i) => ({ head, ...(i ? { align: 'right' as const } : {}) }));
    return [fitTable({ columns, rows, style: s, chars: COMPACT })];
  }
  return r.blobs.flatMap((b, i) => [
    `  ${rows[i]![2]} failures of ${rows[i]![1]} requests · ${rows[i]![3]} writer${b.writers === 1 ? '' : 's'} · ${rows[i]![4]}`,
    `    ${s.chalk.bold(b.blob)}${b.expectedContention ? ` (expected: ${b.expectedContention})` : ''}`,
  ]);
}

export function statsTable(r: StatsReport, s: RenderStyle): string {
  const { chalk } = s;
  const out = [
    chalk.bold(`cnm stats ${r.range.since} → ${r.range.until}, buckets of ${r.bucket}`),
    chalk.dim(`from ${r.sources.join('; ')}`),
    '',
    headline(r),
    `by error code: ${counted(r.byErrorCode)}`,
    `by origin: ${counted(r.byOrigin)}`,
    '',
    chalk.bold('failure rate per bucket') +
      chalk.dim(s.chalk.level ? '  (█ failures, ░ expected contention)' : '  (# failures, - expected contention)'),
    ...rateRows(r.series, s),
    '',
  ];
  if (r.blobs.length) out.push(chalk.bold('hot blobs'), ...hotBlobLines(r, s), '');
  if (r.callers.length) {
    out.push(chalk.bold('callers that collide'));
    out.push(
      fitTable({
        columns: CALLER_HEAD.map((head, i) => ({ head, dropRank: i === 2 ? 1 : undefined })),
        rows: callerRows(r),
        style: s,
        chars: COMPACT,
      }),
      '',
    );
  }
  out.push(...compareLines(r).map((l, i) => (i ? l : chalk.bold(l))));
  if (r.compare) out.push('');
  for (const g of r.gate.failed) out.push(chalk.red.bold(`✗ ${g}`));
  if (r.next) out.push('next: diagnose the hottest blob’s latest failure', `$ ${r.next}`);
  const past = readPast(r);
  if (past) out.push(chalk.dim(past));
  for (const note of r.notes) out.push(chalk.dim(`note: ${note}`));
  return out.join('\n') + '\n';
}

function mdTable(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(mdEscape).join(' | ')} |`),
  ];
}

/** What was read past: lines skipped unread, requests outside the range (every format says it). */
export function readPast(r: StatsReport): string | undefined {
  const parts = [
    r.skipped && `${n(r.skipped)} line(s) skipped unread`,
    r.outOfRange && `${n(r.outOfRange)} request(s) outside the range`,
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : undefined;
}

export function statsMarkdown(r: StatsReport): string {
  const max = Math.max(0, ...r.series.map((b) => (b.requests ? b.failures / b.requests : 0)));
  const series = r.series.map((b) => {
    const rate = b.requests ? b.failures / b.requests : 0;
    return [
      b.start,
      n(b.requests),
      n(b.failures),
      b.requests ? percent(rate) : '—',
      max ? '█'.repeat(Math.round((rate / max) * 20)) : '',
    ];
  });
  const lines = [
    `### cnm stats ${r.range.since} → ${r.range.until}`,
    '',
    mdEscape(headline(r)),
    '',
    `- by error code: ${mdEscape(counted(r.byErrorCode))}`,
    `- by origin: ${mdEscape(counted(r.byOrigin))}`,
    `- sources: ${mdEscape(r.sources.join('; '))}`,
    '',
    ...mdTable([`bucket (${r.bucket})`, 'requests', 'failures', 'rate', ''], series),
    '',
  ];
  if (r.blobs.length) lines.push('#### Hot blobs', '', ...mdTable(BLOB_HEAD, blobRows(r)), '');
  if (r.callers.length) lines.push('#### Callers that collide', '', ...mdTable(CALLER_HEAD, callerRows(r)), '');
  if (r.compare) lines.push(...compareLines(r).map(mdEscape), '');
  for (const g of r.gate.failed) lines.push(`**✗ ${mdEscape(g)}**`, '');
  if (r.next) lines.push('Next:', '', ...mdFence('sh', r.next), '');
  const past = readPast(r);
  if (past) lines.push(`- ${mdEscape(past)}`);
  for (const note of r.notes) lines.push(`- note: ${mdEscape(note)}`);
  return lines.join('\n').trimEnd() + '\n';
}
