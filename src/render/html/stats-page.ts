/**
 * `cnm stats --format html`: the workload's picture on one self-contained page — the failure rate per bucket as a
 * chart (the deploy drawn as a line, the rates either side), the totals, the hot blobs and the callers as tables
 * with inline bars, the deploy verdict with its test named, and the `cnm diagnose` line to run next.
 */
import type { StatsReport } from '../../core/stats/types.js';
import { compareLines, readPast } from '../stats.js';
import { barTable, percent, rateChart } from './chart.js';
import { html } from './markup.js';
import { page } from './page.js';
import { copyLine, notesSection } from './parts.js';

const n = (x: number) => x.toLocaleString('en-US');

function counted(id: string, title: string, map: Record<string, number>) {
  const rows = Object.entries(map).map(([k, v]) => ({ cells: [html`<code>${k}</code>`, html`${n(v)}`], value: v }));
  return html`<section id="${id}">
    <h2>${title}</h2>
    ${rows.length ? barTable(['', 'failures', ''], rows) : html`<p class="muted">no failure</p>`}
  </section>`;
}

export function statsHtml(r: StatsReport): string {
  const t = r.totals;
  const c = r.compare;
  const blobs = barTable(
    ['blob', 'requests', 'failures', 'writers', 'top error code', ''],
    r.blobs.map((b) => ({
      cells: [
        html`<code>${b.blob}</code
          >${b.expectedContention ? html` <span class="muted">expected: ${b.expectedContention}</span>` : ''}`,
        html`${n(b.requests)}${b.requestsExact ? '' : '+'}`,
        html`${n(b.failures)}`,
        html`${n(b.writers)}`,
        html`${b.topErrorCode ?? '—'}`,
      ],
      value: b.failures,
      bad: !b.expectedContention,
    })),
  );
  const callers = barTable(
    ['caller', 'user agent', 'identity', 'failures', ''],
    r.callers.map((x) => ({
      cells: [
        html`${x.caller ?? '—'}`,
        html`${x.userAgent ?? '—'}`,
        html`${x.identity ?? '—'}`,
        html`${n(x.failures)}`,
      ],
      value: x.failures,
      bad: true,
    })),
  );
  const failed = r.gate.failed.length > 0;
  const body = html`<header>
      <h1>412 and lease failures: <span class="${t.actionableRate > 0 ? 'bad' : 'ok'}">${percent(t.rate)}</span></h1>
      <p class="meta">${r.range.since} → ${r.range.until}, buckets of ${r.bucket} · ${r.sources.join('; ')}</p>
    </header>
    <div class="verdict${failed ? '' : ' good'}" id="totals" data-failed="${failed}">
      <p>
        <strong>${n(t.failures)} of ${n(t.requests)} requests failed a condition</strong> · ${n(t.conditional)}
        conditional · ${n(t.notModified)} not modified (304) · ${n(t.expectedContention)} expected contention (without
        it: ${percent(t.actionableRate)})
      </p>
      ${r.gate.failed.map((g) => html`<p class="bad">✗ ${g}</p>`)}
    </div>
    <section id="rate">
      <h2>Failure rate per bucket</h2>
      ${rateChart({
        series: r.series,
        ...(c ? { deploy: { at: c.deployedAt, before: c.before.rate, after: c.after.rate } } : {}),
      })}
      ${c ? html`<p id="compare">${compareLines(r).join(' — ')}</p>` : ''}
    </section>
    ${counted('codes', 'By error code', r.byErrorCode)} ${counted('origins', 'By origin', r.byOrigin)}
    <section id="blobs">
      <h2>Hot blobs</h2>
      ${blobs}
    </section>
    <section id="callers">
      <h2>Callers that collide</h2>
      ${callers}
    </section>
    ${r.next ? copyLine('Next: diagnose the hottest blob’s latest failure', r.next, 'next') : ''}
    ${notesSection([readPast(r), ...r.notes].filter((x): x is string => x !== undefined))}`;
  return page({ title: `cnm stats: ${percent(t.rate)} failed`, command: 'stats', version: r.version, body });
}
