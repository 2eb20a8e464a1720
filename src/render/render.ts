/**
 * One table of renderers: for each report, the formats it renders to and the module that renders each,
 * imported only when used (JSON needs none of them, so it loads neither cli-table3 nor chalk). The format
 * list, commander's `--format` choices and the formats each command accepts are all derived from it.
 * Reports arrive already redacted.
 */
import type { Report, ReportCommand, ReportOf } from '../core/reports.js';
import type { RenderStyle } from './style.js';
import { printable } from '../core/one-line.js';

type Render<R> = (report: R, style: RenderStyle) => string | Promise<string>;
type Loader<R> = () => Promise<Render<R>>;
type RendererTable = { [C in ReportCommand]: Record<string, Loader<ReportOf<C>>> };

const RENDERERS = {
  inspect: {
    table: async () => (await import('./inspect.js')).inspectTable,
    markdown: async () => (await import('./inspect.js')).inspectMarkdown,
  },
  replay: {
    table: async () => (await import('./replay.js')).replayTable,
    markdown: async () => (await import('./replay.js')).replayMarkdown,
    html: async () => (await import('./html/replay-page.js')).replayHtml,
  },
  diagnose: {
    table: async () => (await import('./diagnose.js')).diagnoseTable,
    markdown: async () => (await import('./diagnose.js')).diagnoseMarkdown,
    html: async () => (await import('./html/diagnose-page.js')).diagnoseHtml,
  },
  preflight: {
    table: async () => (await import('./preflight.js')).preflightTable,
    markdown: async () => (await import('./preflight.js')).preflightMarkdown,
    junit: async () => (await import('./junit.js')).preflightJunit,
  },
  stats: {
    table: async () => (await import('./stats.js')).statsTable,
    markdown: async () => (await import('./stats.js')).statsMarkdown,
    html: async () => (await import('./html/stats-page.js')).statsHtml,
  },
  load: {
    table: async () => (await import('./load.js')).loadTable,
    markdown: async () => (await import('./load.js')).loadMarkdown,
  },
  demo: {
    table: async (): Promise<Render<ReportOf<'demo'>>> => {
      const { demoTable } = await import('./demo.js');
      return async (r, s) => demoTable(r, s, await renderSteps(r, 'table', s));
    },
    markdown: async (): Promise<Render<ReportOf<'demo'>>> => {
      const { demoMarkdown } = await import('./demo.js');
      return async (r, s) => demoMarkdown(r, await renderSteps(r, 'markdown', s));
    },
  },
} satisfies RendererTable;

type Table = typeof RENDERERS;
/** Every format some report renders to, besides JSON, which every report has. */
type TextFormat = { [C in keyof Table]: keyof Table[C] }[keyof Table];
export type Format = 'json' | TextFormat;

/** `json` first, then each text format in the order the table first names it. */
export const FORMATS: readonly Format[] = [
  'json',
  ...new Set(Object.values(RENDERERS).flatMap((formats) => Object.keys(formats) as TextFormat[])),
];

export function formatsFor(command: ReportCommand): Format[] {
  return ['json', ...(Object.keys(RENDERERS[command]) as TextFormat[])];
}

/** The commands whose reports render to `format`. */
export function commandsFor(format: Format): ReportCommand[] {
  return (Object.keys(RENDERERS) as ReportCommand[]).filter((c) => formatsFor(c).includes(format));
}

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

// `format` is a plain string below: the table's own type is derived from these functions' use in it.
function loaderFor<C extends ReportCommand>(command: C, format: string): Loader<ReportOf<C>> | undefined {
  const table: RendererTable = RENDERERS;
  const formats: Record<string, Loader<ReportOf<C>>> = table[command];
  return format === 'json' ? undefined : formats[format];
}

/** The text for stdout. A format the command does not render is refused before the command runs (formatsFor). */
export async function renderReport(report: Report, format: string, style: RenderStyle): Promise<string> {
  const load: Loader<Report> | undefined = loaderFor(report.command, format);
  if (!load) return JSON.stringify(report, null, 2) + '\n';
  // Table and markdown show log fields as they are: control characters in them are escaped first (one-line.ts).
  const shown = format === 'table' || format === 'markdown' ? printable(report) : report;
  const text = await (await load())(shown, style);
  if (format !== 'table') return text;
  // The terminal would break long lines mid-word: prose wraps at spaces to the width the tables fit.
  const { wrapProse } = await import('./layout.js');
  return wrapProse(text, style.width);
}

/** The demo's steps each hold a command's report, rendered as that command would render it. */
async function renderSteps(report: ReportOf<'demo'>, format: string, style: RenderStyle): Promise<Map<Report, string>> {
  const out = new Map<Report, string>();
  for (const step of report.steps)
    if (step.report) out.set(step.report, await renderReport(step.report, format, style));
  return out;
}
