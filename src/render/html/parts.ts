/** Pieces every page shares: the conditions table, the cause, the fix, a blob's state, notes, a line to copy. */
import type { CauseReport } from '../../core/causes.js';
import type { ConditionResult } from '../../core/conditions/rule.js';
import { holdsText } from '../conditions-table.js';
import { show } from '../style.js';
import { html, type Html } from './markup.js';

/** A table that turns into labelled cards on a phone (css.ts: table.cards). */
export function cardTable(heads: string[], rows: Html[][], rowClass: (i: number) => string = () => ''): Html {
  return html`<table class="cards">
    <thead>
      <tr>
        ${heads.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (cells, i) =>
          html`<tr class="${rowClass(i)}">
            ${cells.map((c, j) => html`<td data-label="${heads[j] ?? ''}">${c}</td>`)}
          </tr> `,
      )}
    </tbody>
  </table>`;
}

function holdsBadge(h: boolean | null): Html {
  const cls = h === true ? 'ok' : h === false ? 'bad' : 'warn';
  return html`<span class="badge ${cls}">${holdsText(h)}</span>`;
}

/** `against`: the state the conditions were judged against ("current", "at the failure"). */
export function conditionsSection(conditions: ConditionResult[], against: string): Html {
  if (!conditions.length) return html`<p class="muted">The request carried no condition the sources recorded.</p>`;
  return cardTable(
    ['condition', 'supplied', against, 'verdict', 'why'],
    conditions.map((c) => [
      html`<code>${c.header}</code>`,
      html`<code>${show(c.supplied)}</code>`,
      html`<code>${show(c.current)}</code>`,
      holdsBadge(c.holds),
      html`${c.explanation}`,
    ]),
    (i) => (conditions[i]!.holds === false ? 'fails' : ''),
  );
}

export function causeSection(cause: CauseReport | undefined): Html {
  if (!cause) return html``;
  return html`<section id="cause">
    <h2>Cause: <code>${cause.code}</code></h2>
    <p><strong>${cause.title}</strong></p>
    <p>${cause.explanation}</p>
    <p class="muted">More: <code>${cause.docs}</code> in cnm's documentation.</p>
  </section>`;
}

export function listSection(id: string, title: string, items: string[], cls: string): Html {
  if (!items.length) return html``;
  return html`<section id="${id}">
    <h2>${title}</h2>
    <ol class="${cls}">
      ${items.map((f) => html`<li>${f}</li>`)}
    </ol>
  </section>`;
}

export function notesSection(notes: string[]): Html {
  if (!notes.length) return html``;
  return html`<section id="notes">
    <h2>Notes</h2>
    <ul>
      ${notes.map((n) => html`<li>${n}</li>`)}
    </ul>
  </section>`;
}

/** A command line to copy: one click selects all of it (css.ts: .copy). */
export function copyLine(title: string, line: string, id = 'retest'): Html {
  return html`<section id="${id}">
    <h2>${title}</h2>
    <pre class="copy"><code>${line}</code></pre>
  </section>`;
}

export interface StateView {
  exists: boolean;
  etag?: string | null;
  lastModified?: string | null;
  lease?: { state?: string; status?: string; duration?: string | null } | null;
}

/** One card: a blob's ETag, Last-Modified and lease as some source saw them. */
export function stateCard(title: string, st: StateView | null, basis?: string): Html {
  const body = !st
    ? html`<p class="muted">not read</p>`
    : !st.exists
      ? html`<p class="bad">the blob does not exist</p>`
      : html`<p>ETag <code class="etag">${show(st.etag)}</code></p>
          <p>Last-Modified <span class="mono">${show(st.lastModified)}</span></p>
          ${st.lease ? html`<p>lease <span class="lease">${show(st.lease.state)}</span> ${show(st.lease.status)} ${st.lease.duration ?? ''}</p>` : ''}`;
  return html`<div class="card">
    <h3>${title}</h3>
    ${body}${basis ? html`<p class="meta">${basis}</p>` : ''}
  </div>`;
}
