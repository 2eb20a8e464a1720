/** replay as a terminal report (conditions table, verdict, cause, fix) or markdown. */
import type { ReplayReport } from '../core/replay-report.js';
import { conditionsTable, holdsText } from './conditions-table.js';
import { clip, mdSpan, mdEscape, outcome, show, type RenderStyle } from './style.js';

function headline(r: ReplayReport): string {
  const now =
    r.verdict === 'undecided'
      ? `a condition could not be checked: Azure answers ${outcome(r.expected.status)} only if it holds`
      : `Azure would answer ${outcome(r.expected.status, r.expected.errorCode)} now`;
  const was = r.recorded ? `; the capture recorded ${outcome(r.recorded.status, r.recorded.errorCode)}` : '';
  return `${now}${was}`;
}

function verdictText(v: ReplayReport['verdict'], { chalk }: RenderStyle): string {
  if (v === 'would-fail') return chalk.red.bold('would fail');
  return v === 'undecided' ? chalk.yellow.bold('undecided') : chalk.green.bold('would succeed');
}

/** A Blob Batch: one line per sub-request, then each one's conditions. */
function subRequestLines(r: ReplayReport, s: RenderStyle): string[] {
  const out: string[] = [];
  for (const sub of r.subRequests ?? []) {
    const where = `${sub.blob.container}/${sub.blob.name ?? ''}`;
    const answer = outcome(sub.expected.status, sub.expected.errorCode);
    out.push(
      `  #${sub.index} ${sub.request.operation} ${where}: ${verdictText(sub.verdict, s)} (${answer})` +
        (sub.cause ? s.chalk.dim(`  cause ${sub.cause.code}`) : ''),
    );
    if (sub.conditions.length) out.push(conditionsTable(sub.conditions, 'current', s).replace(/^/gm, '    '));
  }
  return out;
}

export function replayTable(r: ReplayReport, s: RenderStyle): string {
  const { chalk } = s;
  const out: string[] = [];
  out.push(chalk.bold(`${r.request.method} ${r.request.url}`) + chalk.dim(`  (${r.request.operation})`));
  if (r.request.requestId) out.push(chalk.dim(`x-ms-request-id ${r.request.requestId}`));
  if (r.subRequests) {
    out.push(`Blob Batch: ${r.subRequests.length} sub-request(s), each judged against its own blob`);
    out.push(...subRequestLines(r, s));
  } else {
    out.push(
      `blob now: ETag ${chalk.cyan(show(r.blob.etag))}, Last-Modified ${show(r.blob.lastModified)}, lease ` +
        `${show(r.blob.lease?.state)}${r.blob.exists ? '' : chalk.red(' (does not exist)')}`,
    );
    if (r.conditions.length) {
      out.push(conditionsTable(r.conditions, 'current', s));
    } else out.push(chalk.dim('the request carries no conditions'));
  }
  out.push(`${verdictText(r.verdict, s)}: ${headline(r)}`);
  if (r.cause)
    out.push(
      '',
      chalk.bold(`cause: ${r.cause.code}`) + ` — ${r.cause.title}`,
      r.cause.explanation,
      chalk.dim(`see ${r.cause.docs}`),
    );
  if (r.fix.length) out.push('', chalk.bold('fix'), ...r.fix.map((f, i) => `  ${i + 1}. ${f}`));
  if (r.refresh) {
    out.push('', chalk.bold('read-refresh-write version (conditions refreshed once from the current state)'));
    for (const c of r.refresh.changes)
      out.push(`  ${c.header}: ${show(c.from)} → ${show(c.to)}  ${chalk.dim(c.reason)}`);
    if (!r.refresh.changes.length) out.push(chalk.dim('  nothing to refresh'));
    for (const n of r.refresh.notes) out.push(`  ${chalk.yellow('note')} ${n}`);
  }
  if (r.actual)
    out.push(
      '',
      chalk.bold(`sent once: ${outcome(r.actual.status, r.actual.errorCode)}`) +
        chalk.dim(r.actual.requestId ? `  x-ms-request-id ${r.actual.requestId}` : ''),
    );
  for (const n of r.notes) out.push(`${chalk.yellow('note')} ${n}`);
  return out.join('\n') + '\n';
}

export function replayMarkdown(r: ReplayReport): string {
  const lines = [
    `### cnm replay: ${mdSpan(`${r.request.method} ${r.request.url}`)} (${r.request.operation})`,
    '',
    `**${r.verdict}** — ${mdEscape(headline(r))}`,
    '',
    '| condition | supplied | current | | why |',
    '|---|---|---|---|---|',
    ...r.conditions.map(
      (c) =>
        `| ${c.header} | ${mdSpan(show(c.supplied), true)} | ${mdSpan(show(c.current), true)} | ` +
        `${holdsText(c.holds)} | ${mdEscape(clip(c.explanation))} |`,
    ),
  ];
  if (r.subRequests)
    lines.push(
      '',
      '| # | sub-request | blob | verdict | Azure answers | cause |',
      '|---|---|---|---|---|---|',
      ...r.subRequests.map(
        (sub) =>
          `| ${sub.index} | ${sub.request.operation} | ${mdSpan(`${sub.blob.container}/${sub.blob.name ?? ''}`, true)} | ` +
          `${sub.verdict} | ${outcome(sub.expected.status, sub.expected.errorCode)} | ${sub.cause?.code ?? ''} |`,
      ),
    );
  if (r.cause)
    lines.push('', `**Cause: \`${r.cause.code}\`** — ${mdEscape(r.cause.title)}`, '', mdEscape(r.cause.explanation));
  if (r.fix.length) lines.push('', '**Fix**', '', ...r.fix.map((f, i) => `${i + 1}. ${mdEscape(f)}`));
  if (r.actual) lines.push('', `**Sent once:** ${outcome(r.actual.status, r.actual.errorCode)}`);
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `- ${mdEscape(n)}`));
  return lines.join('\n') + '\n';
}
