/** The exit code (README.md, "Output, options and exit codes") is a pure function of the report. */
import type { Report } from './reports.js';

export function getExitCode(report: Report): number {
  switch (report.command) {
    case 'inspect':
      return report.exists ? 0 : 4;
    case 'replay':
      if (report.actual) return executedExitCode(report.actual.status);
      // Undecided: a condition could not be checked (a missing permission, most often): not a pass.
      if (report.verdict === 'undecided') return 3;
      return report.verdict === 'would-fail' ? 1 : 0;
    case 'preflight':
      // A job that could not be checked is an Azure error (3), which outranks a finding (1).
      if (report.summary.errors > 0) return 3;
      return report.summary.stale > 0 ? 1 : 0;
    case 'stats':
      // --fail-above or --expect-drop not met; an empty range never gets here (not found, exit 4).
      return report.gate.failed.length > 0 ? 1 : 0;
    case 'diagnose':
    case 'demo':
      return 0;
    case 'load':
      // A load run measures: lost updates under `blind` are what it is there to show, not a failure of the run.
      return 0;
  }
}

/**
 * `replay --execute`: a failed condition (304/409/412) or a request Azure rejected as malformed (400, e.g.
 * MultipleConditionHeadersNotSupported) is a finding; access, throttling and server errors are Azure errors;
 * a missing target is not-found.
 */
function executedExitCode(status: number): number {
  if (status === 304 || status === 409 || status === 412 || status === 400) return 1;
  if (status === 404) return 4;
  if (status >= 400) return 3;
  return 0;
}
