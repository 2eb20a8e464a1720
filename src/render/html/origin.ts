/** What made the condition fail (`origin`), when the report has it: the kind, how sure, who did it, the evidence. */
import type { Origin } from '../../core/diagnose/types.js';
import { show } from '../style.js';
import { html, type Html } from './markup.js';

const KIND_TEXT: Record<Origin['kind'], string> = {
  'other-writer': 'another caller changed the blob',
  'own-earlier-attempt': "the same client's earlier attempt succeeded, and this retry carried the old state",
  'reused-etag': 'the same client wrote with this ETag before and reused it',
  'lease-expired': 'the lease expired',
  'lease-broken': 'the lease was broken',
  'lease-released': 'the lease was released',
  'lease-changed': 'the lease id was changed',
  'expected-contention': 'a known pattern of expected contention',
  unknown: 'not determined from the logs',
};

export function originSection(origin: Origin | undefined): Html {
  if (!origin) return html``;
  const by = origin.by;
  return html`<section id="origin" data-kind="${origin.kind}">
    <h2>Origin: ${KIND_TEXT[origin.kind] ?? origin.kind}</h2>
    <p>
      <code>${origin.kind}</code>
      <span class="badge ${origin.confidence === 'certain' ? 'ok' : 'warn'}">${origin.confidence}</span>
    </p>
    ${
      by
        ? html`<div class="card">
            <h3>the request that did it</h3>
            <p>${by.operation} at <span class="mono">${show(by.time)}</span></p>
            <p class="meta">x-ms-request-id <code>${show(by.requestId)}</code></p>
            <p class="meta">caller ${show(by.caller)}${by.identity ? html` · identity ${by.identity}` : ''}</p>
            <p class="meta">user agent ${show(by.userAgent)}</p>
          </div>`
        : ''
    }
    ${
      origin.evidence.length
        ? html`<h3>evidence</h3>
            <pre class="evidence">${origin.evidence.join('\n')}</pre>`
        : ''
    }
  </section>`;
}
