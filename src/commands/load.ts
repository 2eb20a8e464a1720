/**
 * `cnm load`: many concurrent writers add tokens to a JSON array in one blob, with each write strategy in turn
 * (blind, etag, lease), and the report says what each did to the blob. On cnm's own embedded Azurite by default;
 * on a scratch blob of a real account only with `--blob <ref> --execute`.
 */
import { z } from 'zod';
import { startAzurite } from '../azure/embedded-azurite.js';
import { CnmError } from '../core/errors.js';
import { buildLoadReport, type LoadReport, type LoadResult, type LoadStrategy } from '../core/load-report.js';
import { VERSION } from '../core/version.js';
import type { Progress } from '../core/progress.js';
import { runConcurrentWrites } from '../lib/concurrent-writes.js';
import { STRATEGIES, strategyWrites } from '../lib/write-strategies.js';
import { accessOf, type Context } from './context.js';
import { blobTarget, embeddedTarget, type LoadTarget } from './load-targets.js';

export interface LoadOptions {
  /** Each occurrence of --strategy; a value may list several, comma-separated. */
  strategy?: string[];
  writers?: string;
  ops?: string;
  blob?: string;
  execute?: boolean;
}

export interface LoadPlan {
  strategies: LoadStrategy[];
  writers: number;
  ops: number;
}

function count(flag: string, value: string, max: number): number {
  const parsed = z.coerce.number().int().min(1).max(max).safeParse(value);
  if (!parsed.success) throw new CnmError('usage', `${flag}: must be a whole number from 1 to ${max}, not "${value}"`);
  return parsed.data;
}

/** The options as a plan, checked before anything starts. */
export function loadPlan(options: LoadOptions): LoadPlan {
  const names = (options.strategy?.length ? options.strategy : [STRATEGIES.join(',')])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0)
    throw new CnmError('usage', '--strategy: no strategy named', { hint: `use ${STRATEGIES.join(', ')}` });
  for (const name of names)
    if (!(STRATEGIES as readonly string[]).includes(name))
      throw new CnmError('usage', `--strategy: unknown strategy "${name}"`, { hint: `use ${STRATEGIES.join(', ')}` });
  if (options.blob !== undefined && !options.execute)
    throw new CnmError('usage', '--blob writes to a real blob: nothing was written', {
      hint: 'add --execute to write (and then delete) that scratch blob, or drop --blob to use the embedded Azurite',
    });
  if (options.execute && options.blob === undefined)
    throw new CnmError('usage', '--execute applies only with --blob <ref>', {
      hint: 'without --blob, cnm load writes only to its own embedded Azurite',
    });
  return {
    strategies: [...new Set(names)] as LoadStrategy[],
    writers: count('--writers', options.writers ?? '8', 256),
    ops: count('--ops', options.ops ?? '10', 10_000),
  };
}

/** Runs every strategy of the plan on the target, one after the other, with a progress line. */
export async function runLoad(plan: LoadPlan, target: LoadTarget, progress: Progress): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const strategy of plan.strategies) {
    const r = await runConcurrentWrites(target.forStrategy(strategy), {
      write: strategyWrites[strategy],
      writers: plan.writers,
      iterations: plan.ops,
      onProgress: (done, total) => progress.label(`load: ${strategy} ${done}/${total} writes`),
    });
    const { writes: _w, ...measured } = r;
    results.push({ strategy, writers: plan.writers, ops: plan.ops, ...measured });
  }
  progress.done();
  return results;
}

export async function load(options: LoadOptions, ctx: Context): Promise<LoadReport> {
  const plan = loadPlan(options);
  const progress = ctx.progress();
  if (options.blob !== undefined) {
    const target = await blobTarget(options.blob, accessOf(ctx));
    try {
      return buildLoadReport(VERSION, { kind: 'blob', blob: target.url }, await runLoad(plan, target, progress));
    } finally {
      // A scratch blob left behind is worth a note, never worth hiding the run's own outcome.
      await target
        .cleanup()
        .catch((err: unknown) =>
          ctx.stderr(`cnm: could not delete the scratch blob ${target.url}: ${(err as Error)?.message ?? String(err)}`),
        );
    }
  }
  const az = await startAzurite();
  try {
    const results = await runLoad(plan, embeddedTarget(az), progress);
    return buildLoadReport(VERSION, { kind: 'embedded-azurite', endpoint: az.blobEndpoint }, results);
  } finally {
    await az.stop();
  }
}
