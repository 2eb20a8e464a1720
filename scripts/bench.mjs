// `npm run bench`: every measure is a ratio against a baseline timed in the same run, on the same
// machine, interleaved — so the figures travel between machines. Each scripts/bench/*.mjs exports
// `default async function (tools) → rows`; a row is {name, ratio, goal, baseline, detail}.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tools } from './bench/lib/tools.mjs';

const dir = fileURLToPath(new URL('./bench/', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows = [];
for (const file of files) {
  const mod = await import(pathToFileURL(dir + file).href);
  process.stderr.write(`bench: ${file}…\n`);
  rows.push(...(await mod.default(tools)));
}

const pad = (s, n) => String(s).padEnd(n);
console.log(`${pad('measure', 44)} ${pad('ratio', 8)} ${pad('goal', 8)} ${pad('ok', 4)} baseline / detail`);
let failed = 0;
for (const r of rows) {
  const ok = r.goal === undefined ? '' : r.ratio <= r.goal ? 'yes' : 'NO';
  if (ok === 'NO') failed++;
  console.log(
    `${pad(r.name, 44)} ${pad(r.ratio.toFixed(2) + 'x', 8)} ${pad(r.goal === undefined ? '' : '≤' + r.goal + 'x', 8)} ${pad(ok, 4)} ${r.baseline}${r.detail ? ` — ${r.detail}` : ''}`,
  );
}
console.log(`\n${rows.length} measures, ${failed} over their goal`);
