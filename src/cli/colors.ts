/** Colour level from --no-color, NO_COLOR, FORCE_COLOR and the TTY, decided once. */
import { Chalk, type ChalkInstance } from 'chalk';

export function colorLevel(
  option: boolean | undefined,
  env: Record<string, string | undefined>,
  isTTY: boolean,
): 0 | 1 | 2 | 3 {
  if (option === false) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  return isTTY && env.TERM !== 'dumb' ? 1 : 0;
}

export function makeChalk(level: 0 | 1 | 2 | 3): ChalkInstance {
  return new Chalk({ level });
}
