// `cnm diagnose --request-id <id> --logs <600 MB $logs file>` against `grep -cF <id>` on the same file, warm
// cache, both writing their output to a file. Goal ≤ 4x grep; peak RSS < 250 MB whatever the size.
// The synthetic file packs its size into one hour, so the blob's ±(window + 5 min slack) is a third of it.
// A second, unscored row shows the realistic layout: a day of $logs in hourly files (blob/YYYY/MM/DD/hh00/),
// the same total size, against `grep -rcF` on the folder.
// CNM_BENCH_LOG_MB sets the size (default 600); CNM_BENCH_RUNS the timed runs (default 7).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CNM = fileURLToPath(new URL('../../bin/cnm.js', import.meta.url));
const ID = '470b9e55-201e-0137-5c45-cdd293000000';
const HOUR = Date.UTC(2026, 10, 24, 18);

function line(ms, op, status, text, id, key, etag, cond) {
  return `2.0;${new Date(ms).toISOString().replace('Z', '0000Z')};${op};${text};${status};5;5;authenticated;acct;acct;blob;"https://acct.blob.core.windows.net/c${key}";"/acct/c${key}";${id};0;10.0.0.4:50000;2025-01-05;612;2;302;229;2;;;"&quot;${etag}&quot;";Tuesday, 24-Nov-26 18:00:00 GMT;${cond};"azsdk-js-azure-storage-blob/12.32.0 core-rest-pipeline/1.25.0 Node/20.20.2 (linux)";;"00000000-0000-4000-8000-000000000000";;;;;;;;\n`;
}

/** Fast: ~1 MB blocks of background lines over one hour from `hour`; the failed request mid-way when `hit`. */
function generate(file, mb, hour = HOUR, hit = true) {
  const fd = openSync(file, 'w');
  const blocks = Math.max(1, Math.round(mb));
  const perBlock = Math.round((2400 * mb) / blocks);
  const spanMs = 3_600_000 / blocks;
  for (let b = 0; b < blocks; b++) {
    let text = '';
    for (let i = 0; i < perBlock; i++) {
      const ms = hour + b * spanMs + (i * spanMs) / perBlock;
      text += line(
        ms,
        'GetBlob',
        200,
        'Success',
        `${(b * perBlock + i).toString(16).padStart(8, '0')}-201e-0137-5c45-cdd293000000`,
        `/blob-${i % 97}.json`,
        '0x8DECE5F6A1B2C99',
        '',
      );
    }
    if (hit && b === Math.floor(blocks / 2)) {
      const t = hour + b * spanMs;
      text += line(
        t - 20_000,
        'PutBlob',
        201,
        'Success',
        '11111111-201e-0137-5c45-cdd293000000',
        '/hot.json',
        '0x8DECE5F6A1B2C30',
        '',
      );
      text += line(
        t - 5_000,
        'SetBlobMetadata',
        200,
        'Success',
        '22222222-201e-0137-5c45-cdd293000000',
        '/hot.json',
        '0x8DECE5F6A1B2C31',
        '',
      );
      text += line(
        t,
        'PutBlob',
        412,
        'ConditionNotMet',
        ID,
        '/hot.json',
        '',
        '"If-Match=Tuesday, 24-Nov-26 18:00:00 GMT"',
      );
    }
    writeSync(fd, text);
  }
  closeSync(fd);
}

/** A day of $logs, one file an hour (the failed request in the 18:00 one), in the Storage Analytics layout. */
function generateDay(dir, mb) {
  for (let h = 0; h < 24; h++) {
    const hour = Date.UTC(2026, 10, 24, h);
    const sub = join(dir, 'blob', '2026', '11', '24', `${String(h).padStart(2, '0')}00`);
    mkdirSync(sub, { recursive: true });
    generate(join(sub, '000000.log'), mb / 24, hour, hour === HOUR);
  }
}

const AZ_ID = '92d7559e-8efe-43c4-84b9-e1bd0cdc8088';

/**
 * Fast: an Azurite `--debug` log of ~`mb` MB (request, dispatch and End lines per request, many blobs over one
 * hour), with a race on /c/hot.json mid-way whose 412 has the context id AZ_ID. Built in ~1 MB blocks.
 */
function generateAzurite(file, mb) {
  const fd = openSync(file, 'w');
  const blocks = Math.max(1, Math.round(mb));
  const perBlock = 1300;
  const spanMs = 3_600_000 / blocks;
  const req = (ms, ctx, blob, status, etag, ifMatch) => {
    const iso = new Date(ms).toISOString();
    const headers = {
      'x-ms-version': '2026-10-06',
      ...(ifMatch ? { 'if-match': ifMatch } : {}),
      'user-agent': 'azsdk-js-azure-storage-blob/12.34.0 core-rest-pipeline/1.25.0 Node/20.20.2 (linux)',
      'x-ms-client-request-id': `c${ctx.slice(1)}`,
      host: '127.0.0.1:10000',
    };
    const res = { server: 'Azurite-Blob/3.37.0', ...(etag ? { etag } : {}), 'x-ms-request-id': ctx };
    return (
      `${iso} ${ctx} info: BlobStorageContextMiddleware: RequestMethod=PUT RequestURL=http://127.0.0.1/devstoreaccount1/c/${blob} RequestHeaders:${JSON.stringify(headers)} ClientIP=10.0.0.4 Protocol=http HTTPVersion=1.1\n` +
      `${iso} ${ctx} info: DispatchMiddleware: Operation=BlockBlob_Upload\n` +
      (status === 412
        ? `${iso} ${ctx} error: ErrorMiddleware: Set HTTP Header: x-ms-error-code=ConditionNotMet\n`
        : '') +
      `${iso} ${ctx} info: EndMiddleware: End response. TotalTimeInMS=3 StatusCode=${status} StatusMessage=x Headers=${JSON.stringify(res)}\n`
    );
  };
  for (let b = 0; b < blocks; b++) {
    let text = '';
    for (let i = 0; i < perBlock; i++) {
      const n = b * perBlock + i;
      text += req(
        HOUR + b * spanMs + (i * spanMs) / perBlock,
        `${n.toString(16).padStart(8, '0')}-8efe-43c4-84b9-e1bd0cdc8088`,
        `blob-${i % 97}.json`,
        201,
        '"0x23AC78C754211A1"',
      );
    }
    if (b === Math.floor(blocks / 2)) {
      const t = HOUR + b * spanMs;
      text += req(t - 20_000, 'a1111111-8efe-43c4-84b9-e1bd0cdc8088', 'hot.json', 201, '"0x1"');
      text += req(t - 5_000, 'a2222222-8efe-43c4-84b9-e1bd0cdc8088', 'hot.json', 201, '"0x2"', '"0x1"');
      text += req(t, AZ_ID, 'hot.json', 412, undefined, '"0x1"');
    }
    writeSync(fd, text);
  }
  closeSync(fd);
}

/** Peak RSS of one cnm run in MB: GNU time when installed, else the child's own resourceUsage. */
function peakRssMb(file, out, id = ID) {
  if (existsSync('/usr/bin/time')) {
    const r = spawnSync(
      '/usr/bin/time',
      ['-v', process.execPath, CNM, 'diagnose', '--request-id', id, '--logs', file, '--json'],
      { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
    if (kb) return Number(kb) / 1024;
  }
  const probe = `process.argv=[process.argv[0],${JSON.stringify(CNM)},'diagnose','--request-id',${JSON.stringify(id)},'--logs',${JSON.stringify(file)},'--json'];process.on('exit',()=>process.stderr.write('RSS '+process.resourceUsage().maxRSS+'\\n'));await import(${JSON.stringify(CNM)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return Number(/RSS (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
}

export default async function diagnoseBench({ compare, timeProcess }) {
  const mb = Number(process.env.CNM_BENCH_LOG_MB ?? 600);
  const dir = mkdtempSync(join(tmpdir(), 'cnm-bench-diagnose-'));
  const file = join(dir, '000000.log');
  const out = join(dir, 'out');
  try {
    generate(file, mb);
    const cnm = () =>
      timeProcess('sh', [
        '-c',
        `"${process.execPath}" "${CNM}" diagnose --request-id ${ID} --logs "${file}" --json > "${out}.cnm"`,
      ]);
    const grep = () => timeProcess('sh', ['-c', `grep -cF ${ID} "${file}" > "${out}.grep"`]);
    const runs = Number(process.env.CNM_BENCH_RUNS ?? 7);
    const r = await compare(cnm, grep, { runs, warmup: 1 });
    const rss = peakRssMb(file, out);
    rmSync(file);
    const day = join(dir, 'day');
    generateDay(day, mb);
    const cnmDay = () =>
      timeProcess('sh', [
        '-c',
        `"${process.execPath}" "${CNM}" diagnose --request-id ${ID} --logs "${day}" --json > "${out}.cnm-day"`,
      ]);
    const grepDay = () => timeProcess('sh', ['-c', `grep -rcF ${ID} "${day}" > "${out}.grep-day"`]);
    const d = await compare(cnmDay, grepDay, { runs, warmup: 1 });
    rmSync(day, { recursive: true, force: true });
    // An Azurite --debug log: records span lines, searched by bytes for the id, then for the blob and its contexts.
    const azMb = Number(process.env.CNM_BENCH_AZURITE_MB ?? 200);
    const az = join(dir, 'azurite-debug.log');
    generateAzurite(az, azMb);
    const cnmAz = () =>
      timeProcess('sh', [
        '-c',
        `"${process.execPath}" "${CNM}" diagnose --request-id ${AZ_ID} --logs "${az}" --json > "${out}.cnm-az"`,
      ]);
    const grepAz = () => timeProcess('sh', ['-c', `grep -cF ${AZ_ID} "${az}" > "${out}.grep-az"`]);
    const a = await compare(cnmAz, grepAz, { runs, warmup: 1 });
    const azRss = peakRssMb(az, out, AZ_ID);
    return [
      {
        name: `diagnose --request-id, ${mb} MB $logs file`,
        ratio: r.ratio,
        goal: 4,
        baseline: `grep -cF ${r.b.toFixed(0)} ms`,
        detail: `cnm ${r.a.toFixed(0)} ms (medians of ${runs})`,
      },
      {
        name: `  same, a day in 24 hourly files`,
        ratio: d.ratio,
        baseline: `grep -rcF ${d.b.toFixed(0)} ms`,
        detail: `cnm ${d.a.toFixed(0)} ms (medians of ${runs})`,
      },
      {
        name: 'diagnose peak RSS vs 250 MB',
        ratio: rss / 250,
        goal: 1,
        baseline: '250 MB',
        detail: `${rss.toFixed(0)} MB peak RSS on ${mb} MB`,
      },
      // Informational: issue 4's ≤ 4x goal is set for a 600 MB $logs file (the row above). At 200 MB the fixed
      // start-up of Node and the bundle is a large share of cnm's time.
      {
        name: `diagnose --request-id, ${azMb} MB Azurite --debug log`,
        ratio: a.ratio,
        baseline: `grep -cF ${a.b.toFixed(0)} ms`,
        detail: `cnm ${a.a.toFixed(0)} ms (medians of ${runs}; no goal set)`,
      },
      {
        name: '  its peak RSS vs 250 MB',
        ratio: azRss / 250,
        goal: 1,
        baseline: '250 MB',
        detail: `${azRss.toFixed(0)} MB peak RSS on ${azMb} MB`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
