import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { LoadReport, LoadResult } from '../../src/core/load-report.js';
import { explainLoad } from '../../src/core/load-report.js';
import { loadMarkdown, loadTable } from '../../src/render/load.js';

const base = { writers: 4, ops: 5, conditionFailures: 0, conditionFailureRate: 0, attemptsPerWrite: 1 };
const results: LoadResult[] = [
  {
    ...base,
    strategy: 'blind',
    lostUpdates: 12,
    throughput: 210.5,
    p50Ms: 4,
    p99Ms: 12.5,
    reordered: 0,
    duplicated: 0,
    failedWrites: 0,
    leaseConflicts: 0,
    errors: [],
  },
  {
    ...base,
    strategy: 'etag',
    lostUpdates: 0,
    conditionFailures: 30,
    conditionFailureRate: 0.6,
    attemptsPerWrite: 2.5,
    throughput: 80,
    p50Ms: 9,
    p99Ms: 60,
    reordered: 0,
    duplicated: 0,
    failedWrites: 1,
    leaseConflicts: 0,
    errors: ['w2-4: gave up'],
  },
];
const report: LoadReport = {
  command: 'load',
  version: '0.0.0',
  target: { kind: 'embedded-azurite', endpoint: 'http://127.0.0.1:1/devstoreaccount1' },
  results,
  summary: explainLoad(results),
};

describe('cnm load renderers', () => {
  it('table: one row a strategy, what failed beside the lost count, the sentences and the errors after', () => {
    const text = loadTable(report, { chalk: new Chalk({ level: 0 }) });
    expect(text).toMatch(/│ blind\s+│\s+4 × 5 │\s+12 │\s+0% │\s+1 │\s+210\.5 │\s+4 │\s+12\.5 │/);
    expect(text).toMatch(/│ etag\s+│\s+4 × 5 │\s+0 \(1 failed\) │\s+60% │\s+2\.5 │\s+80 │\s+9 │\s+60 │/);
    expect(text).toMatch(/^4 writers × 5 writes each, on one blob:$/m);
    expect(text).toMatch(/^ {2}blind writes lost 12 of 20 updates \(60%\)/m);
    expect(text).toMatch(/^ {2}etag: w2-4: gave up$/m);
  });

  it('markdown: a table and the sentences as a list', () => {
    const md = loadMarkdown(report);
    expect(md).toContain("### cnm load on cnm's embedded Azurite (http://127.0.0.1:1/devstoreaccount1)");
    expect(md).toContain(
      '| strategy | writers × ops | lost updates | 412 rate | attempts/write | writes/s | p50 ms | p99 ms |',
    );
    expect(md).toContain('| etag | 4 × 5 | 0 (1 failed) | 60% | 2.5 | 80 | 9 | 60 |');
    expect(md).toContain('- blind writes lost 12 of 20 updates (60%): the last writer wins and nobody is told.');
  });
});
