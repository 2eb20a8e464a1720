/**
 * The failed request among the blob's other requests, shared by every diagnose renderer (terminal, markdown, HTML):
 * the rows in time order, the words for each writer's part in the ETag chain, and the terminal's aligned timeline.
 */
import type { DiagnoseReport, Writer } from '../core/diagnose/types.js';
import { fitGrid, shortenAtWord } from './layout.js';
import { outcome, show, type RenderStyle } from './style.js';
import { clock, offset } from './time-offset.js';

export const ROLE_TEXT: Record<Writer['role'], string> = {
  'produced-supplied-etag': 'produced the ETag the client supplied',
  'replaced-supplied-etag': 'replaced it',
  'same-client-request': 'same client request id (retry)',
  other: '',
};

/** User agents are long ("azsdk-js-storage-blob/12.x (NODE-VERSION …; Linux …)"): the terminal shows the start. */
export const USER_AGENT_MAX = 40;

export interface TimelineRow {
  w: Writer;
  /** The failed request itself. */
  self: boolean;
}

/** The failed request placed among the blob's other requests, oldest first. */
export function timelineRows(r: DiagnoseReport): TimelineRow[] {
  const self: Writer = {
    time: r.request.time,
    operation: r.request.operation,
    requestId: r.requestId,
    clientRequestId: r.clientRequestId,
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

/** "caller · user agent", the user agent cut at a word boundary. */
function whoShort(w: Pick<Writer, 'caller' | 'userAgent'>): string {
  return [w.caller, w.userAgent ? shortenAtWord(w.userAgent, USER_AGENT_MAX) : undefined].filter(Boolean).join(' · ');
}

const TIMELINE_COLUMNS = [
  { head: '' },
  { head: 'time', dropRank: 1 },
  { head: 'Δ', align: 'right' as const },
  { head: 'operation', dropRank: 2 },
  { head: 'status' },
  { head: 'ETag' },
  { head: 'role' },
  { head: 'caller', dropRank: 3 },
];

/** The terminal's timeline: one aligned row a request, whatever the length of each ETag or status. */
export function drawTimeline(r: DiagnoseReport, s: RenderStyle): string[] {
  const { chalk } = s;
  const rows = timelineRows(r).map(({ w, self }) => {
    const failed = w.status >= 300 || w.status === 0;
    const role = self
      ? chalk.red.bold('this request')
      : ROLE_TEXT[w.role]
        ? chalk.magenta(`◀ ${ROLE_TEXT[w.role]}`)
        : '';
    return [
      self ? chalk.red.bold('✖') : failed ? chalk.yellow('•') : chalk.green('●'),
      clock(w.time),
      offset(w.time, r.request.time),
      w.operation,
      outcome(w.status, w.errorCode),
      self ? chalk.dim(`supplied ${show(r.timeline.supplied)}`) : chalk.cyan(show(w.etag)),
      role,
      chalk.dim(whoShort(w)),
    ];
  });
  const out = [chalk.bold(`ETag timeline (±${r.window} around the failure)`)];
  out.push(...fitGrid({ columns: TIMELINE_COLUMNS, rows, style: s, indent: 2 }));
  if (r.writers.length === 0) out.push(chalk.dim('  no other request on this blob in the window'));
  out.push(`  ${chalk.dim(r.timeline.note)}`);
  return out;
}
