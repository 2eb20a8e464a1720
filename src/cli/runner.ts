/** How a command's action hands its work to the entry point: the context is built for it, the report returned. */
import type { Command } from 'commander';
import type { Context } from '../commands/context.js';
import type { Report } from '../core/reports.js';

export type Runner = (cmd: Command, work: (ctx: Context) => Promise<Report>) => Promise<void>;
