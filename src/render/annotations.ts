/**
 * GitHub Actions workflow commands for preflight: one `::error` per job that is stale or could not be checked,
 * placed on the jobs file's line when the job came from one. Escaping follows @actions/core (command.ts).
 */
import type { JobResult, PreflightReport } from '../core/check-jobs.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function message(job: JobResult): string {
  if (job.verdict === 'error') return `${job.blob}: could not be checked: ${job.error?.message ?? 'unknown error'}`;
  const outcome = job.expected
    ? ` (Azure would answer ${job.expected.status}${job.expected.errorCode ? ` ${job.expected.errorCode}` : ''})`
    : '';
  const fix = job.fix?.[0] ? ` Fix: ${job.fix[0]}` : '';
  return `${job.blob}: ${job.cause?.title ?? 'a condition fails'}${outcome}.${fix}`;
}

export function githubAnnotation(job: JobResult): string {
  const props = [
    ...(job.file ? [`file=${escapeProperty(job.file)}`] : []),
    ...(job.file && job.line ? [`line=${job.line}`] : []),
    `title=${escapeProperty(`cnm preflight: job ${job.id} ${job.verdict === 'error' ? 'not checked' : `is stale (${job.cause?.code ?? 'condition'})`}`)}`,
  ];
  return `::error ${props.join(',')}::${escapeData(message(job))}`;
}

export function githubAnnotations(report: PreflightReport): string[] {
  return report.jobs.filter((j) => j.verdict !== 'fresh').map(githubAnnotation);
}
