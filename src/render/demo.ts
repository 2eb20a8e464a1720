/** The demo as a titled walk-through; each step's cnm report is rendered as that command would render it. */
import type { DemoReport, Report } from '../core/reports.js';
import type { RenderStyle } from './style.js';

/** Each step's report, already rendered in the same format. */
type Rendered = ReadonlyMap<Report, string>;

export function demoTable(r: DemoReport, s: RenderStyle, sub: Rendered): string {
  const { chalk } = s;
  const out: string[] = [];
  r.steps.forEach((step, i) => {
    out.push('', chalk.bold.underline(`Step ${i + 1}. ${step.title}`));
    for (const line of step.lines) out.push(`  ${line}`);
    if (step.command) out.push(chalk.dim(`$ ${step.command}`));
    if (step.report) out.push((sub.get(step.report) ?? '').trimEnd());
  });
  return out.join('\n').trimStart() + '\n';
}

export function demoMarkdown(r: DemoReport, sub: Rendered): string {
  const out: string[] = ['# cnm demo', ''];
  r.steps.forEach((step, i) => {
    out.push(`## Step ${i + 1}. ${step.title}`, '', ...step.lines.map((l) => `- ${l}`), '');
    if (step.command) out.push('```sh', `$ ${step.command}`, '```', '');
    if (step.report) out.push(sub.get(step.report) ?? '', '');
  });
  return out.join('\n');
}
