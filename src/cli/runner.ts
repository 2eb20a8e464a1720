/** How a command's action hands its work to the entry point: build the context, run, return the report. */
import type { Command } from 'commander';
import type { Context } from './context.js';
import type { Report } from '../core/reports.js';

export type Runner = (cmd: Command, work: (ctx: Context) => Promise<Report>) => Promise<void>;
