/** `cnm diagnose --format html`: the incident as one page a person would rather look at. */
import type { DiagnoseReport } from '../../core/diagnose/types.js';
import { ROLE_TEXT } from '../diagnose-timeline.js';
import { clock, offset } from '../time-offset.js';
import { outcome, show } from '../style.js';
import { etagChain } from './etag-chain.js';
import { lanesChart, markId, placeRows, type PlacedRow } from './lanes.js';
import { leasesChart } from './leases.js';
import { html, type Html } from './markup.js';
import { originSection } from './origin.js';
import { page } from './page.js';
import { cardTable, causeSection, conditionsSection, copyLine, listSection, notesSection, stateCard } from './parts.js';
import { timeScale } from './scale.js';

function header(r: DiagnoseReport): Html {
  const where = r.source.file ? `${r.source.file}${r.source.line ? `:${r.source.line}` : ''}` : '';
  return html`<header>
    <h1><span class="bad">${outcome(r.response.status, r.response.errorCode)}</span> on ${r.request.operation}</h1>
    <p class="meta"><code>${`${r.request.method ?? ''} ${r.request.url ?? ''}`.trim()}</code></p>
    <p class="meta">
      at <span class="mono">${show(r.request.time)}</span> · x-ms-request-id
      <code>${r.requestId}</code
      >${r.clientRequestId ? html` · client request id <code>${r.clientRequestId}</code>` : ''}
    </p>
    <p class="meta">found in ${r.source.kind}${where ? html` <code>${where}</code>` : ''}</p>
  </header>`;
}

function verdict(r: DiagnoseReport): Html {
  const contention = r.contention
    ? html`<p>
        <strong class="${r.contention.expected ? 'ok' : 'warn'}"
          >${r.contention.expected ? 'Expected contention' : 'Known pattern'}: ${r.contention.title}</strong
        >
        — ${r.contention.explanation}
      </p>`
    : '';
  return html`<div class="verdict${r.contention?.expected ? ' good' : ''}" id="verdict">
    <p><strong>${r.cause ? r.cause.title : 'No cause determined from the sources'}</strong></p>
    ${r.fix[0] ? html`<p>Fix: ${r.fix[0]}</p>` : ''}${contention}
  </div>`;
}

function requestsTable(r: DiagnoseReport, rows: PlacedRow[]): Html {
  return cardTable(
    ['time', 'Δ', 'operation', 'status', 'ETag', 'role', 'caller and user agent', 'x-ms-request-id'],
    rows.map(({ w, self, index }) => [
      html`<a href="#${markId(index)}" class="mono">${clock(w.time)}</a>`,
      html`${offset(w.time, r.request.time)}`,
      html`${w.operation}`,
      html`<span class="${w.status >= 300 ? 'bad' : 'ok'}">${outcome(w.status, w.errorCode)}</span>`,
      self ? html`supplied <code>${show(r.timeline.supplied)}</code>` : html`<code class="etag">${show(w.etag)}</code>`,
      html`${self ? 'this request' : ROLE_TEXT[w.role]}`,
      html`${show(w.caller)}<br /><span class="ua">${show(w.userAgent)}</span>`,
      html`<code>${show(w.requestId)}</code>`,
    ]),
    (i) => (rows[i]!.self ? 'self' : ''),
  );
}

function legend(): Html {
  return html`<p class="legend">
    <span class="ok">● succeeded</span><span class="warn">○ failed</span><span class="bad">⊗ this request</span
    ><span class="accent">→ the ETag handed on</span>
  </p>`;
}

export function diagnoseHtml(r: DiagnoseReport): string {
  const { rows } = placeRows(r);
  const times = [...rows.map((x) => x.ms), ...(r.leases ?? []).map((l) => Date.parse(l.time ?? ''))];
  const scale = timeScale(times);
  const steps = html`<section id="steps">
    <h2>Steps</h2>
    <ol class="steps">
      ${r.steps.map((s) => html`<li><strong>${s.title}</strong>: ${s.detail}</li>`)}
    </ol>
  </section>`;
  const body = html`${header(r)} ${verdict(r)}
    <section id="requests">
      <h2>Requests on the blob (±${r.window} around the failure)</h2>
      ${r.writers.length ? '' : html`<p class="muted">No other request on this blob in the window.</p>`}
      ${lanesChart(r, scale)} ${legend()}
      <h3>The ETag chain</h3>
      ${etagChain(r, rows)}
    </section>
    ${
      r.leases?.length
        ? html`<section id="leases">
            <h2>Leases on the blob</h2>
            ${leasesChart(r.leases, scale)}
          </section>`
        : ''
    }
    <section id="conditions">
      <h2>Conditions</h2>
      ${conditionsSection(r.conditions, 'at the failure')}
    </section>
    <section id="state">
      <h2>The blob</h2>
      <div class="states">
        ${stateCard('at the failure', r.atFailure, r.atFailure.basis)}${stateCard('now', r.now, r.now ? undefined : 'not read: give credentials, as for cnm inspect')}
      </div>
    </section>
    ${causeSection(r.cause)} ${originSection(r.origin)} ${steps} ${listSection('fix', 'Fix', r.fix, 'fix')}
    ${copyLine('Retest', r.replay)}
    <section id="all-requests">
      <h2>Every request in the window</h2>
      ${requestsTable(r, rows)}
    </section>
    ${notesSection(r.notes)}
    <p class="meta">
      searched:
      ${r.searched.sources.join('; ')}${r.searched.skippedLines ? `; ${r.searched.skippedLines} malformed line(s) skipped` : ''}
    </p>`;
  return page({
    title: `cnm diagnose: ${outcome(r.response.status, r.response.errorCode)} on ${r.request.operation}`,
    command: 'diagnose',
    version: r.version,
    body,
  });
}
