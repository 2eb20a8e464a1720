/**
 * preflight as a terminal report or a markdown PR comment. Under GitHub Actions `::error` lines follow the table;
 * markdown never carries them (it becomes a PR comment, where they would show raw): the command sends them to stderr.
 */
import type { JobResult, PreflightReport } from '../core/check-jobs.js';
import { githubAnnotations } from './annotations.js';
import { fitTable } from './layout.js';
import { mdSpan, mdEscape, type RenderStyle } from './style.js';

/** Listing thousands of fresh jobs buries the ones that matter; --json lists every job. */
const LIST_FRESH_UP_TO = 50;

function outcome(job: JobResult): string {
  if (job.verdict === 'error') return job.error?.message ?? 'not checked';
  if (job.verdict === 'fresh') return job.expected ? `would succeed (${job.expected.status})` : 'would succeed';
  const answer = job.expected
    ? `${job.expected.status}${job.expected.errorCode ? ` ${job.expected.errorCode}` : ''}`
    : '';
  return `${job.cause?.code ?? 'fails'}: ${answer}`;
}

function headline(r: PreflightReport): string {
  const { total, fresh, stale, errors } = r.summary;
  return `${total} job${total === 1 ? '' : 's'}: ${fresh} fresh, ${stale} stale, ${errors} not checked`;
}

function shown(r: PreflightReport): { jobs: JobResult[]; hidden: number } {
  if (r.jobs.length <= LIST_FRESH_UP_TO) return { jobs: r.jobs, hidden: 0 };
  const jobs = r.jobs.filter((j) => j.verdict !== 'fresh');
  return { jobs, hidden: r.jobs.length - jobs.length };
}

function withAnnotations(r: PreflightReport, text: string): string {
  return r.annotate === 'github'
    ? text +
        githubAnnotations(r)
          .map((l) => `${l}\n`)
          .join('')
    : text;
}

export function preflightTable(r: PreflightReport, s: RenderStyle): string {
  const { chalk } = s;
  const out: string[] = [];
  const { jobs, hidden } = shown(r);
  if (jobs.length) {
    const rows: string[][] = [];
    for (const j of jobs) {
      const mark =
        j.verdict === 'fresh'
          ? chalk.green('fresh')
          : j.verdict === 'stale'
            ? chalk.red.bold('STALE')
            : chalk.yellow('error');
      rows.push([j.id, j.blob, mark, outcome(j)]);
    }
    out.push(
      fitTable({
        columns: [{ head: 'job' }, { head: 'blob', dropRank: 1 }, { head: 'verdict' }, { head: 'now' }],
        rows,
        style: s,
      }),
    );
  }
  if (hidden) out.push(chalk.dim(`${hidden} fresh jobs not listed (--json lists every job)`));
  for (const j of r.jobs.filter((x) => x.verdict === 'stale')) {
    const failing = j.conditions.find((c) => c.holds === false);
    out.push('', chalk.bold(`${j.id}: ${j.cause?.title ?? 'a condition fails'}`));
    if (failing) out.push(`  ${failing.header}: ${failing.explanation}`);
    if (j.fix?.[0]) out.push(`  fix: ${j.fix[0]}`);
    if (j.cause) out.push(chalk.dim(`  see ${j.cause.docs}`));
  }
  const verdict = r.summary.errors
    ? chalk.yellow.bold('incomplete')
    : r.summary.stale
      ? chalk.red.bold('would fail')
      : chalk.green.bold('all fresh');
  out.push('', `${verdict}: ${headline(r)}`);
  return withAnnotations(r, out.join('\n') + '\n');
}

export function preflightMarkdown(r: PreflightReport): string {
  const bad = r.jobs.filter((j) => j.verdict !== 'fresh');
  const icon = r.summary.errors ? ':warning:' : r.summary.stale ? ':x:' : ':white_check_mark:';
  const lines = [`### ${icon} cnm preflight: ${headline(r)}`, ''];
  if (bad.length) {
    lines.push('| job | blob | verdict | cause | fix |', '|---|---|---|---|---|');
    for (const j of bad) {
      const cause =
        j.verdict === 'error'
          ? mdEscape(j.error?.message ?? '')
          : `\`${j.cause?.code ?? ''}\` ${mdEscape(outcome(j).replace(/^[^:]+: /, ''))}`;
      lines.push(
        `| ${mdEscape(j.id)} | ${mdSpan(j.blob, true)} | **${j.verdict}** | ${cause} | ${mdEscape(j.fix?.[0] ?? '')} |`,
      );
    }
  } else lines.push("Every job's conditions hold against the blobs as they are now.");
  const fresh = r.jobs.filter((j) => j.verdict === 'fresh');
  if (fresh.length && bad.length) {
    lines.push('', `<details><summary>${fresh.length} fresh job${fresh.length === 1 ? '' : 's'}</summary>`, '');
    lines.push(...fresh.slice(0, 500).map((j) => `- ${mdEscape(j.id)}: ${mdSpan(j.blob)}`));
    if (fresh.length > 500) lines.push(`- … and ${fresh.length - 500} more`);
    lines.push('', '</details>');
  }
  return lines.join('\n') + '\n';
}
