/** The conditions table of replay and diagnose: supplied vs the blob's value, holds or fails, and why. */
import type { ConditionResult } from '../core/conditions/rule.js';
import { fitTable } from './layout.js';
import { clip, show, type RenderStyle } from './style.js';

export function holdsText(h: boolean | null): string {
  return h === true ? 'holds' : h === false ? 'FAILS' : 'unknown';
}

/**
 * `against` names the state judged against ("current", "at the failure"). When the terminal is narrow the value
 * columns go first: the explanation repeats both values.
 */
export function conditionsTable(conditions: ConditionResult[], against: string, s: RenderStyle): string {
  const { chalk } = s;
  const mark = (h: boolean | null) =>
    h === true ? chalk.green('holds') : h === false ? chalk.red.bold('FAILS') : chalk.yellow('unknown');
  return fitTable({
    columns: [
      { head: 'condition' },
      { head: 'supplied', dropRank: 2 },
      { head: against, dropRank: 1 },
      { head: '' },
      { head: 'why' },
    ],
    rows: conditions.map((c) => [c.header, show(c.supplied), show(c.current), mark(c.holds), clip(c.explanation)]),
    style: s,
  });
}
