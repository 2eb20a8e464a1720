/**
 * Differential test of the condition engine against a real Azurite: fast-check builds blob states and
 * conditional operations, Azurite answers, and the answer must equal the engine's Azure prediction corrected
 * by the Azurite model (docs/azurite-differences.md): expected = azuriteExpectation(req, state, azure) ?? azure.
 * Seed: CNM_DIFF_SEED; case count: CNM_DIFF_RUNS (default 2000).
 */
import fc from 'fast-check';
import type { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAzurite, uniqueName } from '../helpers/azurite.js';
import { caseArb, isContainerOperation, type Case } from './differential/cases.js';
import {
  agrees,
  build,
  buildContainer,
  describe as describeCase,
  run,
  type Outcome,
  type Target,
} from './differential/scenario.js';

const fx = useAzurite();
const SEED = Number(process.env.CNM_DIFF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.CNM_DIFF_RUNS ?? 2000);
/** Cases run concurrently in a batch, each on its own fresh blob. */
const BATCH = 8;
/**
 * Expired leases need a 15 s lease left to run out: a pool built first and used last, half of it lease actions on
 * blobs and containers (renew after expiry is where the lease tables are subtle).
 */
const EXPIRED = 16;
const EXPIRED_LEASE_ACTIONS = 16;

const containers: ContainerClient[] = [];
const tally = new Map<string, number>();
/** Cases by operation, so a run shows how many lease actions and container operations it sent. */
const byOperation = new Map<string, number>();
let cases = 0;
let blobs = 0;

async function prepare(c: Case): Promise<Target> {
  blobs += 1;
  if (isContainerOperation(c.op.name))
    return { built: await buildContainer(fx.service.getContainerClient(uniqueName('dc')), c.blob) };
  const container = containers[blobs % containers.length]!;
  const built = await build(container, `b${blobs}`, c.blob);
  if (!c.op.source) return { built };
  const source = await build(container, `s${blobs}`, c.op.source.blob);
  return { built, source: { built: source, url: source.blob.url } };
}

function record(batch: Case[], outcomes: Outcome[]): void {
  for (const c of batch) byOperation.set(c.op.name, (byOperation.get(c.op.name) ?? 0) + 1);
  for (const o of outcomes) {
    cases += 1;
    const id = o.differenceId ?? 'same as Azure';
    tally.set(id, (tally.get(id) ?? 0) + 1);
  }
}

async function check(batch: Case[], targets: Target[]): Promise<void> {
  const outcomes = await Promise.all(batch.map((c, i) => run(c, targets[i]!)));
  record(batch, outcomes);
  const bad = outcomes.flatMap((o, i) => (agrees(o) ? [] : [describeCase(batch[i]!, o)]));
  if (bad.length > 0)
    throw new Error(`Azurite disagrees with the engine + Azurite model (seed ${SEED}):\n${bad.join('\n')}`);
}

describe(`differential: engine vs Azurite 3.35 (seed ${SEED}, ${CASES} cases)`, () => {
  let expired: { cases: Case[]; targets: Target[]; readyAt: number } | undefined;

  beforeAll(async () => {
    for (let i = 0; i < 3; i += 1) {
      const c = fx.service.getContainerClient(uniqueName('diff'));
      await c.create();
      containers.push(c);
    }
    const pool = [
      ...fc.sample(caseArb(['expired']), { seed: SEED, numRuns: EXPIRED }),
      ...fc.sample(caseArb(['expired'], ['LeaseBlob', 'LeaseContainer']), {
        seed: SEED + 1,
        numRuns: EXPIRED_LEASE_ACTIONS,
      }),
    ];
    const targets = await Promise.all(pool.map(prepare));
    expired = { cases: pool, targets, readyAt: Date.now() + 16_000 };
  });

  afterAll(() => {
    const ids = [...tally.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
    console.log(
      `differential: ${cases} cases, seed ${SEED} (CNM_DIFF_SEED=${SEED} CNM_DIFF_RUNS=${CASES} to replay)\n` +
        `  answers by Azurite difference: ${ids.map(([id, n]) => `${id} ×${n}`).join(', ')}\n` +
        `  cases by operation: ${[...byOperation.entries()].map(([op, n]) => `${op} ×${n}`).join(', ')}`,
    );
  });

  it("every Azurite answer equals the engine's Azure answer, or the modelled Azurite difference", async () => {
    console.log(`differential seed ${SEED}`);
    await fc.assert(
      fc.asyncProperty(fc.array(caseArb(), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        await check(batch, await Promise.all(batch.map(prepare)));
      }),
      { seed: SEED, numRuns: Math.ceil(CASES / BATCH) },
    );
  }, 110_000);

  it('expired leases (a 15 s lease left to run out) agree too', async () => {
    const pool = expired!;
    await new Promise((r) => setTimeout(r, Math.max(0, pool.readyAt - Date.now())));
    for (let i = 0; i < pool.cases.length; i += BATCH) {
      await check(pool.cases.slice(i, i + BATCH), pool.targets.slice(i, i + BATCH));
    }
    expect(tally.size).toBeGreaterThan(0);
  }, 40_000);
});
