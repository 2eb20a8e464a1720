// `cnm stats --logs <600 MB $logs file>` against the hand-written peer a user would type instead — the mawk line
// below, which only counts lines and ConditionNotMet per hour — and against `grep -c ConditionNotMet`, all on the
// same file, warm cache, interleaved in the same run. Goals: at most 1x the awk line; peak RSS < 256 MB. The file
// spans a day with a blob name per line for most lines (millions of distinct blobs: the bounded hot-blob counter
// must hold), a hot blob with If-Match writes that collide, and an Event Hubs ownership blob.
// CNM_BENCH_STATS_MB sets the size (default 600); CNM_BENCH_RUNS the timed runs (default 7).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CNM = fileURLToPath(new URL('../../bin/cnm.js', import.meta.url));
const DAY = Date.UTC(2026, 10, 24);
const AWK = `{h=substr($2,1,13); n[h]++} $6 ~ /ConditionNotMet/ {f[h]++} END{for (h in n) print h, n[h], f[h]+0}`;

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n) => String(n).padStart(2, '0');

/** `Tuesday, 24-Nov-26 18:00:00 GMT`: how $logs writes last-modified-time and the dates in conditions-used. */
function rfc850(ms) {
  const d = new Date(ms);
  return (
    `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${two(d.getUTCFullYear() % 100)} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`
  );
}

/** The ETag Azure gives a write: the .NET ticks of its Last-Modified, in hex. */
function etagOf(ms) {
  return `0x${(BigInt(ms) * 10000n + 621355968000000000n).toString(16).toUpperCase()}`;
}

/** One line; `modified`: the blob's Last-Modified (a write's own second), `cond`: conditions-used. */
function line(ms, op, status, text, n, key, ip, ua, cond, modified) {
  const id = `${n.toString(16).padStart(8, '0')}-201e-0137-5c45-cdd293000000`;
  return `2.0;${new Date(ms).toISOString().replace('Z', '0000Z')};${op};${text};${status};5;5;authenticated;acct;acct;blob;"https://acct.blob.core.windows.net/${key.slice(6)}";"${key}";${id};0;${ip}:50${n % 1000};2025-01-05;612;2;302;229;2;;;"&quot;${etagOf(modified)}&quot;";${rfc850(modified)};${cond};"${ua}";;"${id}";;;;;;;;\n`;
}

const UA = 'azsdk-js-azure-storage-blob/12.32.0 core-rest-pipeline/1.25.0 Node/20.20.2 (linux)';
const ifMatch = (ms) => `"If-Match=${rfc850(ms)}"`;

/**
 * ~`mb` MB over one day, in ~1 MB blocks: 1 line in 40 on the hot blob (a third of those 412), 1 in 200 ownership.
 * As in a real log, each write has its own Last-Modified and ETag, and a conditional write names, in If-Match, the
 * Last-Modified of the write it read: the current one when it succeeds, the one before when it fails (another
 * writer replaced it).
 */
export function generateStatsLog(file, mb) {
  const fd = openSync(file, 'w');
  const blocks = Math.max(1, Math.round(mb));
  const perBlock = Math.round((2200 * mb) / blocks);
  const spanMs = 86_400_000 / blocks;
  const hot = { last: DAY, before: DAY };
  const owned = { last: DAY, before: DAY };
  const write = (w, ms) => {
    w.before = w.last;
    w.last = Math.floor(ms / 1000) * 1000;
  };
  let n = 0;
  for (let b = 0; b < blocks; b++) {
    let text = '';
    for (let i = 0; i < perBlock; i++, n++) {
      const ms = DAY + b * spanMs + (i * spanMs) / perBlock;
      if (n % 40 === 0) {
        const key = '/acct/app/orders/hot.json';
        if (n % 120 === 0)
          text += line(ms, 'PutBlob', 412, 'ConditionNotMet', n, key, '10.0.0.2', UA, ifMatch(hot.before), hot.last);
        else {
          const read = hot.last;
          write(hot, ms);
          text += line(ms, 'PutBlob', 201, 'Success', n, key, '10.0.0.1', UA, ifMatch(read), hot.last);
        }
      } else if (n % 200 === 1) {
        const key = '/acct/checkpoints/ns.servicebus.windows.net/hub/$default/ownership/3';
        if (n % 400 === 1)
          text += line(
            ms,
            'SetBlobMetadata',
            412,
            'ConditionNotMet',
            n,
            key,
            '10.0.0.9',
            UA,
            ifMatch(owned.before),
            owned.last,
          );
        else {
          const read = owned.last;
          write(owned, ms);
          text += line(ms, 'SetBlobMetadata', 200, 'Success', n, key, '10.0.0.9', UA, ifMatch(read), owned.last);
        }
      } else {
        text += line(ms, 'GetBlob', 200, 'Success', n, `/acct/data/item-${n}.json`, '10.0.0.5', UA, '', DAY);
      }
    }
    writeSync(fd, text);
  }
  closeSync(fd);
  return n;
}

function peakRssMb(args) {
  if (!existsSync('/usr/bin/time')) return NaN;
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, CNM, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]) / 1024;
}

export default async function statsBench({ compare, timeProcess }) {
  const mb = Number(process.env.CNM_BENCH_STATS_MB ?? 600);
  const runs = Number(process.env.CNM_BENCH_RUNS ?? 7);
  const dir = mkdtempSync(join(tmpdir(), 'cnm-bench-stats-'));
  const file = join(dir, '000000.log');
  const out = join(dir, 'out');
  const awk = existsSync('/usr/bin/mawk') ? 'mawk' : existsSync('/usr/bin/gawk') ? 'gawk' : 'awk';
  try {
    const lines = generateStatsLog(file, mb);
    const args = [
      'stats',
      '--logs',
      file,
      '--since',
      '2026-11-24T00:00:00Z',
      '--until',
      '2026-11-25T00:00:00Z',
      '--json',
    ];
    const cnm = () => timeProcess('sh', ['-c', `"${process.execPath}" "${CNM}" ${args.join(' ')} > "${out}.cnm"`]);
    const peer = () => timeProcess(awk, ['-F;', AWK, file]);
    const grep = () => timeProcess('sh', ['-c', `grep -c ConditionNotMet "${file}" > "${out}.grep"`]);
    const a = await compare(cnm, peer, { runs, warmup: 1 });
    const g = await compare(cnm, grep, { runs, warmup: 1 });
    // Node reads the CA file NODE_EXTRA_CA_CERTS names at every start, before any of cnm's code runs (~50 ms on the
    // development machine, whose environment sets it; `env -u NODE_EXTRA_CA_CERTS node -e 0` against `node -e 0`):
    // measured apart when set, so the figure above can be read with and without what this environment adds.
    const { NODE_EXTRA_CA_CERTS: extraCa, ...withoutCa } = process.env;
    const c = extraCa
      ? await compare(
          () => timeProcess('sh', ['-c', `"${process.execPath}" "${CNM}" ${args.join(' ')} > "${out}.cnm"`], withoutCa),
          peer,
          { runs, warmup: 1 },
        )
      : undefined;
    const rss = peakRssMb(args);
    const caRow = c && {
      name: '  same, Node not given NODE_EXTRA_CA_CERTS',
      ratio: c.ratio,
      baseline: `${awk} line ${c.b.toFixed(0)} ms`,
      detail: `cnm ${c.a.toFixed(0)} ms; Node loads that CA file (${extraCa}) at every start`,
    };
    return [
      {
        name: `stats, ${mb} MB $logs (${(lines / 1e6).toFixed(1)}M lines)`,
        ratio: a.ratio,
        goal: 1,
        baseline: `${awk} -F';' per-hour count ${a.b.toFixed(0)} ms`,
        detail: `cnm ${a.a.toFixed(0)} ms (medians of ${runs})`,
      },
      {
        name: '  same, against grep -c ConditionNotMet',
        ratio: g.ratio,
        goal: 4,
        baseline: `grep -c ${g.b.toFixed(0)} ms`,
        detail: `cnm ${g.a.toFixed(0)} ms; the ${awk} line is ${(a.b / g.b).toFixed(1)}x grep`,
      },
      ...(caRow ? [caRow] : []),
      {
        name: 'stats peak RSS vs 256 MB',
        ratio: rss / 256,
        goal: 1,
        baseline: '256 MB',
        detail: `${rss.toFixed(0)} MB peak RSS, ~${((lines * 0.99) / 1e6).toFixed(1)}M distinct blobs`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
