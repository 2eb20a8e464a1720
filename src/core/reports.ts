/**
 * Every report a command returns, as one union keyed by `command`: renderers are typed by it and
 * the exit code is a pure function of it (exit-code.ts), with no casts.
 */
import type { PreflightReport } from './check-jobs.js';
import type { DiagnoseReport } from './diagnose/types.js';
import type { InspectReport } from './inspect-report.js';
import type { LoadReport } from './load-report.js';
import type { ReplayReport } from './replay-report.js';
import type { StatsReport } from './stats/types.js';

export interface DemoStep {
  title: string;
  lines: string[];
  /** The cnm command line this step runs, as a user would type it. */
  command?: string;
  report?: Report;
}

export interface DemoReport {
  command: 'demo';
  version: string;
  endpoint: string;
  steps: DemoStep[];
}

export type Report =
  InspectReport | ReplayReport | DiagnoseReport | PreflightReport | LoadReport | StatsReport | DemoReport;

export type ReportCommand = Report['command'];

export type ReportOf<C extends ReportCommand> = Extract<Report, { command: C }>;
