/** One entry point from a report to the text on stdout. Reports arrive already redacted. */
import type { Format } from '../cli/context.js';
import type { InspectReport, Report } from '../core/reports.js';
import { inspectMarkdown, inspectTable } from './inspect.js';
import type { ReplayReport } from '../core/replay-report.js';
import { replayMarkdown, replayTable } from './replay.js';
import type { RenderStyle } from './style.js';
import type { DiagnoseReport } from '../core/diagnose/types.js';
import { diagnoseMarkdown, diagnoseTable } from './diagnose.js';
import type { DemoReport } from '../commands/demo.js';
import { demoMarkdown, demoTable } from './demo.js';
import type { PreflightReport } from '../core/check-jobs.js';
import { preflightMarkdown, preflightTable } from './preflight.js';
import { preflightJunit } from './junit.js';

export type Renderer = {
  table?: (report: never, style: RenderStyle) => string;
  markdown?: (report: never, style: RenderStyle) => string;
  junit?: (report: never, style: RenderStyle) => string;
};

const renderers: Record<string, Renderer> = {
  diagnose: { table: (r: DiagnoseReport, s: RenderStyle) => diagnoseTable(r, s), markdown: (r: DiagnoseReport) => diagnoseMarkdown(r) },
  inspect: {
    table: (r: InspectReport, s: RenderStyle) => inspectTable(r, s),
    markdown: (r: InspectReport) => inspectMarkdown(r),
  },
  demo: {
    table: (r: DemoReport, s: RenderStyle) => demoTable(r, s, (sub) => renderReport(sub, 'table', s)),
    markdown: (r: DemoReport, s: RenderStyle) => demoMarkdown(r, (sub) => renderReport(sub, 'markdown', s)),
  },
  preflight: {
    table: (r: PreflightReport, s: RenderStyle) => preflightTable(r, s),
    markdown: (r: PreflightReport) => preflightMarkdown(r),
    junit: (r: PreflightReport) => preflightJunit(r),
  },
  replay: {
    table: (r: ReplayReport, s: RenderStyle) => replayTable(r, s),
    markdown: (r: ReplayReport) => replayMarkdown(r),
  },
};

export function renderReport(report: Report, format: Format, style: RenderStyle): string {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  const fn = renderers[report.command]?.[format] as ((r: Report, s: RenderStyle) => string) | undefined;
  if (!fn) return JSON.stringify(report, null, 2) + '\n';
  return fn(report, style);
}
