/**
 * The ETag handed from write to write, as cards: the write that produced the ETag the client supplied, the write
 * that replaced it, and the failed request; each links to its mark in the lanes above.
 */
import type { DiagnoseReport, Writer } from '../../core/diagnose/types.js';
import { outcome, show } from '../style.js';
import { markId, type PlacedRow } from './lanes.js';
import { html, type Html } from './markup.js';

/** The row of the chart that is `w` (the report repeats the writer object in `timeline`). */
function rowOf(rows: PlacedRow[], w: Writer | undefined): PlacedRow | undefined {
  if (!w) return undefined;
  return rows.find(
    (x) => !x.self && x.w.requestId === w.requestId && x.w.time === w.time && x.w.operation === w.operation,
  );
}

function writerCard(step: string, title: string, w: Writer, row: PlacedRow | undefined, etagLine: Html): Html {
  return html`<div class="card" data-step="${step}" ${row ? html` data-mark="${markId(row.index)}"` : ''}>
    <h3>${title}</h3>
    <p>
      ${row ? html`<a href="#${markId(row.index)}">${w.operation}</a>` : w.operation} ·
      ${outcome(w.status, w.errorCode)}
    </p>
    <p class="mono">${show(w.time)}</p>
    ${etagLine}
    <p class="meta" title="${[w.caller ?? '', w.userAgent ?? ''].join('\n')}">
      ${show(w.caller)} · ${show(w.userAgent)}
    </p>
    <p class="meta">x-ms-request-id <code>${show(w.requestId)}</code></p>
  </div>`;
}

export function etagChain(r: DiagnoseReport, rows: PlacedRow[]): Html {
  const t = r.timeline;
  const self = rows.find((x) => x.self);
  const cards: Html[] = [];
  if (t.producedBy)
    cards.push(
      writerCard(
        'produced',
        'produced the supplied ETag',
        t.producedBy,
        rowOf(rows, t.producedBy),
        html`<p>ETag <code class="etag">${show(t.producedBy.etag)}</code></p>`,
      ),
    );
  if (t.replacedBy)
    cards.push(
      writerCard(
        'replaced',
        'replaced it',
        t.replacedBy,
        rowOf(rows, t.replacedBy),
        html`<p>new ETag <code class="etag">${show(t.replacedBy.etag)}</code></p>`,
      ),
    );
  cards.push(
    html`<div class="card self" data-step="failed" ${self ? html` data-mark="${markId(self.index)}"` : ''}>
      <h3>this request</h3>
      <p>
        ${self ? html`<a href="#${markId(self.index)}">${r.request.operation}</a>` : r.request.operation} ·
        <span class="bad">${outcome(r.response.status, r.response.errorCode)}</span>
      </p>
      <p class="mono">${show(r.request.time)}</p>
      <p>
        supplied
        <code class="etag">${show(t.supplied)}</code
        >${t.inferredEtag ? html` → <code class="etag">${t.inferredEtag}</code> <span class="muted">(inferred)</span>` : ''}
      </p>
      <p>blob had <code class="etag">${show(t.currentAtFailure ?? r.atFailure.etag)}</code></p>
    </div>`,
  );
  const arrows = cards.flatMap((c, i) => (i ? [html`<span class="arrow" aria-hidden="true">→</span>`, c] : [c]));
  return html`<div class="chain">${arrows}</div>
    <p class="muted">${t.note}</p>`;
}
