/**
 * preflight as JUnit XML (the format CI systems import as test results): one testcase per job, a <failure> for a
 * stale job (cause, what Azure would answer, the fix) and an <error> for a job that could not be checked.
 */
import type { JobResult, PreflightReport } from '../core/check-jobs.js';

/** XML 1.0 forbids most control characters even escaped; drop them rather than emit an unparsable file. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function failureBody(job: JobResult): string {
  const lines = [
    job.cause ? `${job.cause.code}: ${job.cause.explanation}` : 'a condition fails',
    ...(job.expected
      ? [
          `Azure would answer ` +
            `${job.expected.status}${job.expected.errorCode ? ` ${job.expected.errorCode}` : ''} to ` +
            `${job.operation ?? 'the request'} now.`,
        ]
      : []),
    ...job.conditions.map(
      (c) =>
        `${c.header}: supplied ${c.supplied}, current ${c.current ?? 'unknown'} → ` +
        `${c.holds === true ? 'holds' : c.holds === false ? 'FAILS' : 'unknown'}`,
    ),
    ...(job.fix?.length ? ['', 'Fix:', ...job.fix.map((f, i) => `${i + 1}. ${f}`)] : []),
    ...(job.cause ? ['', `See ${job.cause.docs}`] : []),
  ];
  return lines.join('\n');
}

function testcase(job: JobResult): string {
  const open =
    `    <testcase classname="cnm.preflight" ` +
    `name="${xmlEscape(`${job.id}: ${job.blob}`)}"${job.file ? ` file="${xmlEscape(job.file)}"` : ''}${job.line ? ` line="${job.line}"` : ''}`;
  if (job.verdict === 'fresh') return `${open}/>`;
  if (job.verdict === 'error') {
    const e = job.error ?? { code: 'error', message: 'not checked' };
    return (
      `${open}>\n      <error type="${xmlEscape(e.code)}" ` +
      `message="${xmlEscape(e.message)}">${xmlEscape(e.message)}</error>\n    </testcase>`
    );
  }
  const type = job.cause?.code ?? 'condition';
  return (
    `${open}>\n      <failure type="${xmlEscape(type)}" ` +
    `message="${xmlEscape(job.cause?.title ?? 'a condition fails')}">${xmlEscape(failureBody(job))}</failure>\n ` +
    `   </testcase>`
  );
}

export function preflightJunit(r: PreflightReport): string {
  const { total, stale, errors } = r.summary;
  const counts = `tests="${total}" failures="${stale}" errors="${errors}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="cnm preflight" ${counts}>`,
    `  <testsuite name="cnm preflight" ${counts} skipped="0">`,
    ...r.jobs.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
