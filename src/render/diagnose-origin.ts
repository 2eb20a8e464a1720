/** diagnose's origin (what made the condition false) and lease timeline, for the terminal and for markdown. */
import type { DiagnoseReport, LeaseEvent, OriginBy } from '../core/diagnose/types.js';
import { mdSpan, mdEscape, show, type RenderStyle } from './style.js';
import { clock, offset } from './time-offset.js';

function byText(by: OriginBy): string {
  const who = [by.caller, by.userAgent, by.identity].filter(Boolean).join(' · ');
  return `${by.operation}${by.requestId ? ` ${by.requestId}` : ''} at ${show(by.time)}${who ? ` — ${who}` : ''}`;
}

/** A lease story: the lease timeline comes before the ETag timeline. */
export function leaseFirst(r: DiagnoseReport): boolean {
  return r.origin.kind.startsWith('lease-') || /Lease$/.test(r.origin.by?.operation ?? '');
}

/** The lease events worth a timeline: any in the window, or none but a lease origin (then say so). */
function leaseRowsWanted(r: DiagnoseReport): boolean {
  return r.leases.length > 0 || r.origin.kind.startsWith('lease-');
}

function leaseDetail(l: LeaseEvent): string {
  const parts: string[] = [];
  if (l.previousLeaseId) parts.push(`${l.previousLeaseId} →`);
  if (l.leaseId) parts.push(l.leaseId);
  if (l.duration !== undefined) parts.push(l.duration < 0 ? 'infinite' : `${l.duration} s`);
  if (l.breakPeriod !== undefined) parts.push(`break period ${l.breakPeriod} s`);
  else if (l.leaseTime !== undefined) parts.push(`broken in ${l.leaseTime} s`);
  return parts.join(' ') || '(headers not recorded)';
}

export function originLines(r: DiagnoseReport, s: RenderStyle): string[] {
  const { chalk } = s;
  const o = r.origin;
  const color = o.kind === 'unknown' ? chalk.yellow : chalk.magenta;
  const out = [`${chalk.bold(`origin: ${color(o.kind)}`)} ${chalk.dim(`(${o.confidence})`)}`, `  ${o.summary}`];
  if (o.by) out.push(`  ${chalk.bold('by')} ${byText(o.by)}`);
  for (const a of o.alternatives ?? [])
    out.push(`  ${chalk.bold('if it sent')} ${a.etag}: ${a.kind}${a.by ? `, by ${byText(a.by)}` : ''}`);
  if (o.evidence.length) out.push(`  ${chalk.bold('evidence')}`, ...o.evidence.map((e) => chalk.dim(`    • ${e}`)));
  if (o.wouldDecide) out.push(`  ${chalk.bold('would decide it')} ${o.wouldDecide}`);
  return out;
}

export function drawLeases(r: DiagnoseReport, s: RenderStyle): string[] {
  if (!leaseRowsWanted(r)) return [];
  const { chalk } = s;
  const out = [chalk.bold(`Lease timeline (±${r.window} around the failure)`)];
  const failMs = Date.parse(r.request.time ?? '');
  const rows = r.leases.map((l) => ({ l, ms: Date.parse(l.time ?? '') }));
  const at = rows.findIndex((x) => !Number.isNaN(failMs) && x.ms > failMs);
  const self = `  ${chalk.red.bold('✖')} ${clock(r.request.time)} ${'0ms'.padStart(9)}  ${r.request.operation.padEnd(10)} ${`${r.response.status} ${r.response.errorCode ?? ''}`.trim()} ${chalk.red.bold('this request')} ${chalk.dim(`sent ${show(r.request.headers['x-ms-lease-id'])}`)}`;
  const lines = rows.map(({ l }) => {
    const failed = l.status >= 300 || l.status === 0;
    const dot = failed ? chalk.yellow('•') : chalk.green('●');
    const who = chalk.dim([l.caller, l.userAgent].filter(Boolean).join(' · ').slice(0, 60));
    return (
      `  ${dot} ${clock(l.time)} ${offset(l.time, r.request.time).padStart(9)}  ${l.action.padEnd(10)} ` +
      `${`${l.status}${l.errorCode ? ` ${l.errorCode}` : ''}`.padEnd(8)} ${chalk.cyan(leaseDetail(l))} ${who}`
    ).trimEnd();
  });
  lines.splice(at === -1 ? lines.length : at, 0, self);
  out.push(...lines);
  if (r.leases.length === 0) out.push(chalk.dim('  no lease operation on this blob in the window'));
  return out;
}

export function mdOrigin(r: DiagnoseReport): string[] {
  const o = r.origin;
  const lines = [`**Origin: \`${o.kind}\`** (${o.confidence}) — ${mdEscape(o.summary)}`, ''];
  if (o.by) lines.push(`- **by:** ${mdEscape(byText(o.by))}`);
  for (const a of o.alternatives ?? [])
    lines.push(`- **if it sent** ${mdSpan(a.etag)}: ${a.kind}${a.by ? `, by ${mdEscape(byText(a.by))}` : ''}`);
  for (const e of o.evidence) lines.push(`- ${mdEscape(e)}`);
  if (o.wouldDecide) lines.push(`- **would decide it:** ${mdEscape(o.wouldDecide)}`);
  return lines;
}

export function mdLeases(r: DiagnoseReport): string[] {
  if (!leaseRowsWanted(r)) return [];
  const failMs = Date.parse(r.request.time ?? '');
  const rows = r.leases.map(
    (l) =>
      `| ${show(l.time)} | ${offset(l.time, r.request.time)} | ${l.action} | ${l.status}${l.errorCode ? ` ${l.errorCode}` : ''} | ` +
      `${mdEscape(leaseDetail(l))} | ${mdEscape(show(l.caller))} | ${mdEscape(show(l.userAgent))} |`,
  );
  const at = r.leases.findIndex((l) => !Number.isNaN(failMs) && Date.parse(l.time ?? '') > failMs);
  rows.splice(
    at === -1 ? rows.length : at,
    0,
    `| ${show(r.request.time)} | 0ms | **this request** (${r.request.operation}) | ` +
      `${r.response.status}${r.response.errorCode ? ` ${r.response.errorCode}` : ''} | ` +
      `sent ${mdEscape(show(r.request.headers['x-ms-lease-id']))} | ${mdEscape(show(r.request.caller))} | ` +
      `${mdEscape(show(r.request.userAgent))} |`,
  );
  const lines = [
    `**Lease timeline (±${r.window})**`,
    '',
    '| time | Δ | action | status | lease | caller | user agent |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ];
  if (r.leases.length === 0) lines.push('', 'No lease operation on this blob in the window.');
  return lines;
}
