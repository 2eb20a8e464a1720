/** cnm load as a table per strategy (lost updates stand out) with what it means, or the same in markdown. */
import Table from 'cli-table3';
import type { LoadReport, LoadResult } from '../core/load-report.js';
import { mdEscape, type RenderStyle } from './style.js';

const HEAD = [
  'strategy',
  'writers × ops',
  'lost updates',
  '412 rate',
  'attempts/write',
  'writes/s',
  'p50 ms',
  'p99 ms',
];

function where(r: LoadReport): string {
  return r.target.kind === 'blob' ? `scratch blob ${r.target.blob}` : `cnm's embedded Azurite (${r.target.endpoint})`;
}

function cells(x: LoadResult): string[] {
  const extra = [
    x.reordered && `${x.reordered} reordered`,
    x.duplicated && `${x.duplicated} twice`,
    x.failedWrites && `${x.failedWrites} failed`,
  ].filter(Boolean);
  return [
    x.strategy,
    `${x.writers} × ${x.ops}`,
    `${x.lostUpdates}${extra.length ? ` (${extra.join(', ')})` : ''}`,
    `${Math.round(x.conditionFailureRate * 100)}%`,
    String(x.attemptsPerWrite),
    String(x.throughput),
    String(x.p50Ms),
    String(x.p99Ms),
  ];
}

const broken = (x: LoadResult) => x.lostUpdates > 0 || x.reordered > 0 || x.duplicated > 0 || x.failedWrites > 0;

export function loadTable(r: LoadReport, s: RenderStyle): string {
  const { chalk } = s;
  const table = new Table({
    head: HEAD.map((h) => chalk.bold(h)),
    style: { head: [], border: [] },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const x of r.results) {
    const row = cells(x);
    if (broken(x)) row[2] = chalk.red.bold(row[2]!);
    else row[2] = chalk.green(row[2]!);
    table.push(row);
  }
  const out = [chalk.dim(`on ${where(r)}`), table.toString(), ''];
  const [headline, ...lines] = r.summary;
  if (headline) out.push(chalk.bold(headline));
  out.push(...lines.map((l) => `  ${l}`));
  for (const x of r.results) for (const e of x.errors) out.push(chalk.yellow(`  ${x.strategy}: ${e}`));
  return out.join('\n') + '\n';
}

export function loadMarkdown(r: LoadReport): string {
  const lines = [
    `### cnm load on ${mdEscape(where(r))}`,
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map(() => '---').join('|')}|`,
  ];
  for (const x of r.results) lines.push(`| ${cells(x).map(mdEscape).join(' | ')} |`);
  lines.push('', ...r.summary.map((l, i) => (i === 0 ? l : `- ${mdEscape(l)}`)));
  return lines.join('\n') + '\n';
}
