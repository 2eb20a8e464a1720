/** diagnose as a terminal report (with a drawn ETag timeline) or markdown for an incident ticket. */
import Table from 'cli-table3';
import type { DiagnoseReport, Writer } from '../core/diagnose/types.js';
import { mdEscape, show, type RenderStyle } from './style.js';
import { drawLeases, leaseFirst, mdLeases, mdOrigin, originLines } from './diagnose-origin.js';
import { clock, offset } from './time-offset.js';

const ROLE_TEXT: Record<Writer['role'], string> = {
  'produced-supplied-etag': 'produced the ETag the client supplied',
  'replaced-supplied-etag': 'replaced it',
  'same-client-request': 'same client request id (retry)',
  other: '',
};

function outcome(status: number, code?: string): string {
  return `${status}${code ? ` ${code}` : ''}`;
}

interface Row {
  w: Writer;
  self: boolean;
}

/** The failed request placed among the blob's other requests, oldest first. */
function timelineRows(r: DiagnoseReport): Row[] {
  const self: Writer = {
    time: r.request.time,
    operation: r.request.operation,
    requestId: r.requestId,
    status: r.response.status,
    errorCode: r.response.errorCode,
    role: 'other',
    offsetSeconds: 0,
    caller: r.request.caller,
    userAgent: r.request.userAgent,
  };
  const rows = r.writers.map((w) => ({ w, self: false }));
  // Place it by time, to the millisecond: a race's writers are often within the same second.
  const selfMs = Date.parse(r.request.time ?? '');
  const after = (w: Writer) =>
    w.time && !Number.isNaN(selfMs) ? Date.parse(w.time) > selfMs : (w.offsetSeconds ?? -Infinity) > 0;
  const at = rows.findIndex((x) => after(x.w));
  rows.splice(at === -1 ? rows.length : at, 0, { w: self, self: true });
  return rows;
}

function drawTimeline(r: DiagnoseReport, s: RenderStyle): string[] {
  const { chalk } = s;
  const out = [chalk.bold(`ETag timeline (±${r.window} around the failure)`)];
  for (const { w, self } of timelineRows(r)) {
    const failed = w.status >= 300 || w.status === 0;
    const dot = self ? chalk.red.bold('✖') : failed ? chalk.yellow('•') : chalk.green('●');
    const etag = self ? chalk.dim(`supplied ${show(r.timeline.supplied)}`) : chalk.cyan(show(w.etag));
    const role = self
      ? chalk.red.bold('this request')
      : ROLE_TEXT[w.role]
        ? chalk.magenta(`◀ ${ROLE_TEXT[w.role]}`)
        : '';
    const who = chalk.dim([w.caller, w.userAgent].filter(Boolean).join(' · ').slice(0, 60));
    out.push(
      `  ${dot} ${clock(w.time)} ${offset(w.time, r.request.time).padStart(9)}  ${w.operation.padEnd(18)} ` +
        `${outcome(w.status, w.errorCode).padEnd(20)} ${etag} ${role} ${who}`.trimEnd(),
    );
  }
  if (r.writers.length === 0) out.push(chalk.dim('  no other request on this blob in the window'));
  out.push(`  ${chalk.dim(r.timeline.note)}`);
  return out;
}

function conditionsTable(r: DiagnoseReport, s: RenderStyle): string {
  const { chalk } = s;
  const table = new Table({
    head: ['condition', 'supplied', 'at the failure', '', 'why'].map((h) => chalk.bold(h)),
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: s.width ? [16, 26, 26, 9, Math.max(30, s.width - 83)] : [16, 26, 26, 9, 60],
  });
  for (const c of r.conditions) {
    const mark =
      c.holds === true ? chalk.green('holds') : c.holds === false ? chalk.red.bold('FAILS') : chalk.yellow('unknown');
    table.push([c.header, show(c.supplied), show(c.current), mark, c.explanation]);
  }
  return table.toString();
}

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
    r.conditions.length ? conditionsTable(r, s) : chalk.dim('the request carried no condition the sources recorded'),
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
        `${outcome(w.status, w.errorCode)} | \`${mdEscape(etag)}\` | ${role} | ${mdEscape(show(w.caller))} | ` +
        `${mdEscape(show(w.userAgent))} |`,
    );
  }
  return lines;
}

export function diagnoseMarkdown(r: DiagnoseReport): string {
  const lines = [
    `### cnm diagnose: ${outcome(r.response.status, r.response.errorCode)} on ` +
      `\`${mdEscape(`${r.request.method ?? ''} ${r.request.url ?? ''}`.trim())}\` (${r.request.operation})`,
    '',
    `- **x-ms-request-id:** \`${r.requestId}\`${r.clientRequestId ? ` · **client request id:** \`${r.clientRequestId}\`` : ''}`,
    `- **time:** ${show(r.request.time)} · **source:** ${r.source.kind} ` +
      `${mdEscape(show(r.source.file))}${r.source.line ? `:${r.source.line}` : ''}`,
    `- **at the failure:** ETag \`${mdEscape(show(r.atFailure.etag))}\` (${mdEscape(r.atFailure.basis)})`,
    ...(r.now
      ? [
          `- **now:** ` +
            `${r.now.exists ? `ETag \`${mdEscape(show(r.now.etag))}\`, lease ${show(r.now.lease?.state)}` : 'the blob does not exist'}`,
        ]
      : []),
    '',
    '| condition | supplied | at the failure | | why |',
    '|---|---|---|---|---|',
    ...r.conditions.map(
      (c) =>
        `| ${c.header} | \`${mdEscape(show(c.supplied))}\` | \`${mdEscape(show(c.current))}\` | ` +
        `${c.holds === true ? 'holds' : c.holds === false ? 'FAILS' : 'unknown'} | ${mdEscape(c.explanation)} ` +
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
  lines.push('', '**Fix**', '', ...r.fix.map((f, i) => `${i + 1}. ${mdEscape(f)}`), '', `Retest: \`${r.replay}\``);
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `- ${mdEscape(n)}`));
  return lines.join('\n') + '\n';
}
