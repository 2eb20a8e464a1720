/**
 * One self-contained page: the stylesheet inline, pinned by its hash in a Content-Security-Policy that allows
 * nothing else — no script, no image, font or stylesheet from anywhere, no form, no base URL — so the page opens
 * from file:// and reads the same offline, and a value that somehow escaped escaping still could not run or load.
 * CSP in a meta element: https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy
 */
import { createHash } from 'node:crypto';
import { CSS } from './css.js';
import { Html, html } from './markup.js';

const STYLE_HASH = `sha256-${createHash('sha256').update(CSS).digest('base64')}`;
// A plain string, not a template a formatter may re-indent: the hash must cover the element's text exactly.
const STYLE_ELEMENT = new Html('<style>' + CSS + '</style>');

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src '${STYLE_HASH}'`,
  "script-src 'none'",
  "img-src 'none'",
  "font-src 'none'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export interface PageParts {
  /** The tab's title (text). */
  title: string;
  command: string;
  version: string;
  body: Html;
}

export function page(p: PageParts): string {
  return (
    '<!doctype html>\n' +
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />
        <meta name="referrer" content="no-referrer" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="generator" content="cnm ${p.version}" />
        <title>${p.title}</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <main data-command="${p.command}">
          ${p.body}
          <footer>
            cnm ${p.command} · cnm ${p.version} · a self-contained page: no script, nothing loaded from any network
          </footer>
        </main>
      </body>
    </html> `.text
  );
}
