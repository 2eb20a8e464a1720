/** inspect as a cli-table3 table (ETag and lease state stand out) or a markdown table. */
import type { InspectReport } from '../core/inspect-report.js';
import { fitTable } from './layout.js';
import { mdSpan, mdEscape, show, type RenderStyle } from './style.js';

type Row = [label: string, value: string, highlight?: 'etag' | 'lease' | 'bad'];

function rows(r: InspectReport): Row[] {
  if (!r.exists) {
    return [
      ['exists', 'no', 'bad'],
      ...(r.containerExists === false ? [['container exists', 'no', 'bad'] as Row] : []),
      ...(r.requestId ? [['x-ms-request-id', r.requestId] as Row] : []),
    ];
  }
  const lease = r.lease;
  const out: Row[] = [
    ['ETag', show(r.etag), 'etag'],
    ['Last-Modified', show(r.lastModified)],
    ['lease state', show(lease?.state), 'lease'],
    ['lease status', show(lease?.status)],
    ['lease duration', show(lease?.duration)],
    ['for writers', show(r.leaseReading)],
  ];
  if (r.target === 'blob') {
    out.push(
      ['blob type', show(r.blobType)],
      ['content length', show(r.contentLength)],
      ['content type', show(r.contentType)],
    );
    if (r.sequenceNumber !== undefined) out.push(['sequence number', show(r.sequenceNumber)]);
    if (r.committedBlockCount !== undefined) out.push(['committed blocks', show(r.committedBlockCount)]);
    out.push(
      ['metadata', show(r.metadata)],
      ['tags', r.tags === null ? '(not readable)' : show(r.tags)],
      ['version id', show(r.versionId)],
      ['current version', show(r.isCurrentVersion)],
      ['access tier', show(r.accessTier)],
      ['created', show(r.createdOn)],
    );
    if (r.copyStatus) out.push(['copy status', r.copyStatus]);
  } else {
    out.push(['metadata', show(r.metadata)], ['public access', show(r.publicAccess)]);
  }
  out.push(['x-ms-request-id', show(r.requestId)]);
  return out;
}

function title(r: InspectReport): string {
  return `${r.target === 'blob' ? 'Blob' : 'Container'} ${r.blob.url}`;
}

export function inspectTable(r: InspectReport, s: RenderStyle): string {
  const { chalk } = s;
  const cells: string[][] = [];
  for (const [label, value, hl] of rows(r)) {
    const v =
      hl === 'etag'
        ? chalk.bold.cyan(value)
        : hl === 'lease'
          ? leaseColor(s, value)
          : hl === 'bad'
            ? chalk.red(value)
            : value;
    cells.push([chalk.dim(label), v]);
  }
  const table = fitTable({
    columns: [{ head: 'field' }, { head: 'value' }],
    rows: cells,
    style: s,
    head: false,
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  const notes = r.notes.map((n) => `${chalk.yellow('note')} ${n}`);
  return [chalk.bold(title(r)), table, ...notes, `${chalk.dim('credential:')} ${r.credential}`].join('\n') + '\n';
}

function leaseColor(s: RenderStyle, state: string): string {
  if (state === 'leased' || state === 'breaking') return s.chalk.bold.yellow(state);
  if (state === 'broken' || state === 'expired') return s.chalk.bold.magenta(state);
  return s.chalk.green(state);
}

export function inspectMarkdown(r: InspectReport): string {
  const lines = [`### ${mdEscape(title(r))}`, '', '| field | value |', '|---|---|'];
  for (const [label, value, hl] of rows(r)) {
    lines.push(`| ${label} | ${hl === 'etag' || hl === 'lease' ? mdSpan(value, true) : mdEscape(value)} |`);
  }
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `- ${mdEscape(n)}`));
  return lines.join('\n') + '\n';
}
