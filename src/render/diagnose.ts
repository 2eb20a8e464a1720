/** diagnose as a terminal report (with a drawn ETag timeline) or markdown for an incident ticket. */
import type { DiagnoseReport } from '../core/diagnose/types.js';
import { drawLeases, leaseFirst, mdLeases, mdOrigin, originLines } from './diagnose-origin.js';
import { ROLE_TEXT, drawTimeline, timelineRows } from './diagnose-timeline.js';
import { offset } from './time-offset.js';
import { conditionsTable } from './conditions-table.js';
import { clip, mdSpan, mdEscape, outcome, show, type RenderStyle } from './style.js';

export function diagnoseTable(r: DiagnoseReport, s: RenderStyle): string {
  const { chalk } = s;
  const out: string[] = [];
  out.push(
    chalk.bold(`${r.request.method ?? ''} ${r.request.url ?? ''}`.trim()) + chalk.dim(`  (${r.request.operation})`),
  );
  out.push(
    `${chalk.red.bold(outcome(r.response.status, r.response.errorCode))} at ${show(r.request.time)}  ` +
      `${chalk.dim(`x-ms-request-id ${r.requestId}${r.clientRequestId ? `, client ${r.clientRequestId}` : ''}`)}`,
  );
  out.push(
    chalk.dim(
      `found in ${r.source.kind}${r.source.file ? ` ${r.source.file}${r.source.line ? `:${r.source.line}` : ''}` : ''}`,
    ),
  );
  out.push(
    `at the failure: ETag ${chalk.cyan(show(r.atFailure.etag))}, Last-Modified ` +
      `${show(r.atFailure.lastModified)} ${chalk.dim(`(${r.atFailure.basis})`)}`,
  );
  if (r.now)
    out.push(
      `now: ` +
        `${r.now.exists ? `ETag ${chalk.cyan(show(r.now.etag))}, Last-Modified ${show(r.now.lastModified)}, lease ${show(r.now.lease?.state)}` : chalk.red('the blob does not exist')}`,
    );
  out.push(
    r.conditions.length
      ? conditionsTable(r.conditions, 'at the failure', s)
      : chalk.dim('the request carried no condition the sources recorded'),
  );
  if (r.cause)
    out.push(
      '',
      chalk.bold(`cause: ${r.cause.code}`) + ` — ${r.cause.title}`,
      r.cause.explanation,
      chalk.dim(`see ${r.cause.docs}`),
    );
  if (r.contention)
    out.push(
      '',
      chalk.bold(
        r.contention.expected
          ? chalk.green(`expected contention: ${r.contention.title}`)
          : chalk.yellow(`known pattern: ${r.contention.title}`),
      ),
      r.contention.explanation,
    );
  out.push('', ...originLines(r, s));
  const leases = drawLeases(r, s);
  const timelines = leaseFirst(r) ? [leases, drawTimeline(r, s)] : [drawTimeline(r, s), leases];
  for (const t of timelines) if (t.length) out.push('', ...t);
  out.push('', chalk.bold('steps'), ...r.steps.map((st, i) => `  ${i + 1}. ${chalk.bold(st.title)}: ${st.detail}`));
  out.push('', chalk.bold('fix'), ...r.fix.map((f, i) => `  ${i + 1}. ${f}`));
  for (const n of r.notes) out.push(`${chalk.yellow('note')} ${n}`);
  out.push(
    chalk.dim(
      `searched: ` +
        `${r.searched.sources.join('; ')}${r.searched.skippedLines ? `; ${r.searched.skippedLines} malformed line(s) skipped` : ''}`,
    ),
  );
  return out.join('\n') + '\n';
}

function mdTimeline(r: DiagnoseReport): string[] {
  const lines = [
    '| time | Δ | operation | status | ETag | role | caller | user agent |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const { w, self } of timelineRows(r)) {
    const role = self ? '**this request**' : ROLE_TEXT[w.role];
    const etag = self ? `supplied ${show(r.timeline.supplied)}` : show(w.etag);
    lines.push(
      `| ${show(w.time)} | ${offset(w.time, r.request.time)} | ${w.operation} | ` +
        `${outcome(w.status, w.errorCode)} | ${mdSpan(etag, true)} | ${role} | ${mdEscape(show(w.caller))} | ` +
        `${mdEscape(show(w.userAgent))} |`,
    );
  }
  return lines;
}

export function diagnoseMarkdown(r: DiagnoseReport): string {
  const lines = [
    `### cnm diagnose: ${outcome(r.response.status, r.response.errorCode)} on ` +
      `${mdSpan(`${r.request.method ?? ''} ${r.request.url ?? ''}`.trim())} (${r.request.operation})`,
    '',
    `- **x-ms-request-id:** ${mdSpan(r.requestId)}${r.clientRequestId ? ` · **client request id:** ${mdSpan(r.clientRequestId)}` : ''}`,
    `- **time:** ${show(r.request.time)} · **source:** ${r.source.kind} ` +
      `${mdEscape(show(r.source.file))}${r.source.line ? `:${r.source.line}` : ''}`,
    `- **at the failure:** ETag ${mdSpan(show(r.atFailure.etag))} (${mdEscape(r.atFailure.basis)})`,
    ...(r.now
      ? [
          `- **now:** ` +
            `${r.now.exists ? `ETag ${mdSpan(show(r.now.etag))}, lease ${show(r.now.lease?.state)}` : 'the blob does not exist'}`,
        ]
      : []),
    '',
    '| condition | supplied | at the failure | | why |',
    '|---|---|---|---|---|',
    ...r.conditions.map(
      (c) =>
        `| ${c.header} | ${mdSpan(show(c.supplied), true)} | ${mdSpan(show(c.current), true)} | ` +
        `${c.holds === true ? 'holds' : c.holds === false ? 'FAILS' : 'unknown'} | ${mdEscape(clip(c.explanation))} ` +
        `|`,
    ),
  ];
  if (r.cause)
    lines.push('', `**Cause: \`${r.cause.code}\`** — ${mdEscape(r.cause.title)}`, '', mdEscape(r.cause.explanation));
  if (r.contention)
    lines.push(
      '',
      `**${r.contention.expected ? 'Expected contention' : 'Known pattern'}:** ${mdEscape(r.contention.title)} ` +
        `— ${mdEscape(r.contention.explanation)}`,
    );
  lines.push('', ...mdOrigin(r));
  const etags = [`**ETag timeline (±${r.window})**`, '', ...mdTimeline(r), '', mdEscape(r.timeline.note)];
  const leases = mdLeases(r);
  const timelines = leaseFirst(r) ? [leases, etags] : [etags, leases];
  for (const t of timelines) if (t.length) lines.push('', ...t);
  lines.push(
    '',
    '**Steps**',
    '',
    ...r.steps.map((st, i) => `${i + 1}. **${mdEscape(st.title)}**: ${mdEscape(st.detail)}`),
  );
  lines.push('', '**Fix**', '', ...r.fix.map((f, i) => `${i + 1}. ${mdEscape(f)}`), '', `Retest: ${mdSpan(r.replay)}`);
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `- ${mdEscape(n)}`));
  return lines.join('\n') + '\n';
}
