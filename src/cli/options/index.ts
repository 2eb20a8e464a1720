/** Every command, in the order `cnm --help` lists them. Each file defines options; its module loads lazily. */
import type { Command } from 'commander';
import type { Runner } from '../runner.js';
import { addInspect } from './inspect.js';
import { addReplay } from './replay.js';
import { addDiagnose } from './diagnose.js';
import { addDemo } from './demo.js';
import { addPreflight } from './preflight.js';
import { addLoad } from './load.js';
import { addStats } from './stats.js';

export const commands: Array<(program: Command, run: Runner) => void> = [
  addInspect,
  addReplay,
  addDiagnose,
  addStats,
  addDemo,
  addPreflight,
  addLoad,
];
