/** `cnm replay --format html`: the conditions, supplied vs current, the verdict, the cause and the fix. */
import type { ReplayReport } from '../../core/replay-report.js';
import { outcome, show } from '../style.js';
import { html, type Html } from './markup.js';
import { page } from './page.js';
import { causeSection, conditionsSection, listSection, notesSection, stateCard } from './parts.js';

/** A Blob Batch: one row per sub-request, each judged against its own blob. */
function subRequestsSection(r: ReplayReport): Html | string {
  if (!r.subRequests) return '';
  return html`<section id="sub-requests">
    <h2>Sub-requests</h2>
    <table>
      <thead>
        <tr>
          <th>#</th>
          <th>operation</th>
          <th>blob</th>
          <th>verdict</th>
          <th>Azure answers</th>
          <th>cause</th>
        </tr>
      </thead>
      <tbody>
        ${r.subRequests.map(
          (sub) =>
            html`<tr data-verdict="${sub.verdict}">
              <td>${String(sub.index)}</td>
              <td>${sub.request.operation}</td>
              <td><code>${sub.blob.container}/${sub.blob.name ?? ''}</code></td>
              <td class="${sub.verdict === 'would-fail' ? 'bad' : 'ok'}">${sub.verdict}</td>
              <td>${outcome(sub.expected.status, sub.expected.errorCode)}</td>
              <td>${sub.cause?.code ?? ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

export function replayHtml(r: ReplayReport): string {
  const fails = r.verdict === 'would-fail';
  const now = `Azure would answer ${outcome(r.expected.status, r.expected.errorCode)} now`;
  const recorded = r.recorded ? `; the capture recorded ${outcome(r.recorded.status, r.recorded.errorCode)}` : '';
  const refresh = r.refresh
    ? html`<section id="refresh">
        <h2>Read-refresh-write version</h2>
        <ul>
          ${r.refresh.changes.map(
            (c) =>
              html`<li>
                <code>${c.header}</code>: <code>${show(c.from)}</code> → <code>${show(c.to)}</code>
                <span class="muted">${c.reason}</span>
              </li>`,
          )}
        </ul>
        ${r.refresh.changes.length ? '' : html`<p class="muted">nothing to refresh</p>`}
      </section>`
    : '';
  const body = html`<header>
      <h1>
        ${r.request.operation}: <span class="${fails ? 'bad' : 'ok'}">${fails ? 'would fail' : 'would succeed'}</span>
      </h1>
      <p class="meta"><code>${r.request.method} ${r.request.url}</code></p>
      ${r.request.requestId ? html`<p class="meta">x-ms-request-id <code>${r.request.requestId}</code></p>` : ''}
    </header>
    <div class="verdict${fails ? '' : ' good'}" id="verdict" data-verdict="${r.verdict}">
      <p><strong>${now}${recorded}</strong></p>
      ${r.cause ? html`<p>${r.cause.title}</p>` : ''}
    </div>
    ${
      r.subRequests
        ? subRequestsSection(r)
        : html`<section id="conditions">
              <h2>Conditions</h2>
              ${conditionsSection(r.conditions, 'current')}
            </section>
            <section id="state">
              <h2>The blob now</h2>
              <div class="states">${stateCard('now', r.blob)}</div>
            </section>`
    }
    ${causeSection(r.cause)} ${listSection('fix', 'Fix', r.fix, 'fix')} ${refresh}
    ${
      r.actual
        ? html`<section id="sent">
            <h2>Sent once</h2>
            <p>
              ${outcome(r.actual.status, r.actual.errorCode)}${r.actual.requestId ? html` · x-ms-request-id <code>${r.actual.requestId}</code>` : ''}
            </p>
          </section>`
        : ''
    }
    ${notesSection(r.notes)}`;
  return page({
    title: `cnm replay: ${r.request.operation} ${r.verdict}`,
    command: 'replay',
    version: r.version,
    body,
  });
}
