/**
 * What a user sees, whole: each command's stdout, stderr and exit code, run through the real binary against a
 * real Azurite, kept as snapshots (test/e2e/__snapshots__). Values that differ on every run — ETags, times,
 * request ids, ports, temporary folders — are replaced by placeholders, so a snapshot changes only when the
 * output a person reads does. Review a changed snapshot like a changed screen: `npx vitest run -u` after.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/core/version.js';
import { useAzurite } from '../helpers/azurite.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';
import { analyticsText, DEPLOY, START, UNTIL } from '../helpers/stats-workload.js';

const dir = mkdtempSync(join(tmpdir(), 'cnm-snap-'));
const fx = useAzurite();
const CONTAINER = 'snapshots';
const FX = new URL('../fixtures/', import.meta.url).pathname;
const env = () => cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString });

const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** Hex digits zeroed: the same width, so tables keep their shape in the snapshot. */
const zeroed = (match: string) => match.replace(/[0-9A-Fa-f]/g, '0');

/** What changes from run to run is zeroed or named; the rest is compared byte for byte. */
function stable(text: string): string {
  return text
    .replaceAll(dir, '<tmp>')
    .replaceAll(FX, '<fixtures>/')
    .replaceAll(`cnm/${VERSION}`, 'cnm/<version>')
    .replace(/0x[0-9A-F]{12,16}/g, zeroed)
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, (m) => m.replace(/\d/g, '0'))
    .replace(/(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT/g, (m) => m.replace(/\d/g, '0'))
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, zeroed)
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');
}

async function shown(args: string[], extra: Record<string, string> = {}) {
  // Run from the fixtures folder with relative paths: wrapped lines must not depend on where the checkout is.
  const r = await runCli(args, { ...env(), ...extra }, 30_000, FX);
  return { exit: r.code, stdout: stable(r.stdout), stderr: stable(r.stderr) };
}

let staleCapture = '';
let jobs = '';
const statsLog = file('workload.log', analyticsText('2.0'));
const statsArgs = () => ['stats', '--logs', statsLog, '--since', START, '--until', UNTIL, '--bucket', '1h'];

beforeAll(async () => {
  const c = fx.service.getContainerClient(CONTAINER);
  await c.create();
  const blob = c.getBlockBlobClient('manifest.json');
  const stale = (await blob.upload('{"v":1}', 7, { metadata: { owner: 'deploy' } })).etag!;
  const current = (await blob.upload('{"v":2}', 7)).etag!;
  staleCapture = file(
    'stale.json',
    JSON.stringify({
      request: { method: 'PUT', url: `${blob.url}?comp=metadata`, headers: { 'If-Match': stale } },
      response: {
        status: 412,
        headers: { 'x-ms-request-id': '470b9e55-201e-0137-5c45-cdd293000000', 'x-ms-error-code': 'ConditionNotMet' },
      },
    }),
  );
  jobs = file(
    'jobs.json',
    JSON.stringify([
      { id: 'fresh-job', blob: `${CONTAINER}/manifest.json`, ifMatch: current },
      { id: 'stale-job', blob: `${CONTAINER}/manifest.json`, ifMatch: stale },
    ]),
  );
});

describe('what each command prints (snapshots of stdout, stderr and exit code)', () => {
  it.each([
    ['inspect, table', () => ['inspect', `${CONTAINER}/manifest.json`]],
    ['inspect, markdown', () => ['inspect', `${CONTAINER}/manifest.json`, '--format', 'markdown']],
    ['inspect of a missing blob', () => ['inspect', `${CONTAINER}/missing.json`]],
    ['replay of a stale If-Match, table', () => ['replay', staleCapture]],
    ['replay of a stale If-Match, markdown', () => ['replay', staleCapture, '--format', 'markdown']],
    [
      'diagnose of a $logs race, table',
      () => ['diagnose', '--request-id', '470b9e55-201e-0137-5c45-cdd293000000', '--logs', 'diagnose/race.log'],
    ],
    [
      'diagnose of a $logs race, markdown',
      () => [
        'diagnose',
        '--request-id',
        '470b9e55-201e-0137-5c45-cdd293000000',
        '--logs',
        'diagnose/race.log',
        '--format',
        'markdown',
      ],
    ],
    [
      'diagnose of a lease broken by another caller ($logs), table',
      () => ['diagnose', '--request-id', 'a3a3a3a3-201e-0137-5c45-cdd293000000', '--logs', 'diagnose/lease.log'],
    ],
    [
      'diagnose of a lease broken by another caller ($logs), markdown',
      () => [
        'diagnose',
        '--request-id',
        'a3a3a3a3-201e-0137-5c45-cdd293000000',
        '--logs',
        'diagnose/lease.log',
        '--format',
        'markdown',
      ],
    ],
    ['stats of a $logs workload, a deploy that halved the rate', () => [...statsArgs(), '--deployed-at', DEPLOY]],
    ['stats, markdown', () => [...statsArgs(), '--format', 'markdown']],
    ['preflight, table', () => ['preflight', jobs]],
    ['preflight, junit', () => ['preflight', jobs, '--format', 'junit']],
    ['an unknown option', () => ['inspect', 'c/b', '--frmat', 'json']],
    ['a format the command does not write', () => ['inspect', 'c/b', '--format', 'junit']],
    ['html for a command without a page', () => ['preflight', 'jobs.json', '--format', 'html']],
    ['a capture that is not JSON', () => ['replay', 'captures/request-bad-json.json']],
    ['--help', () => ['--help']],
  ])('%s', async (_name, args) => {
    expect(await shown(args())).toMatchSnapshot();
  });
});

describe('table output fitted to the terminal (COLUMNS), snapshots at 80 and 160 columns', () => {
  const tables: [string, () => string[]][] = [
    ['inspect', () => ['inspect', `${CONTAINER}/manifest.json`]],
    ['replay of a stale If-Match', () => ['replay', staleCapture]],
    [
      'diagnose of a $logs race',
      () => ['diagnose', '--request-id', '470b9e55-201e-0137-5c45-cdd293000000', '--logs', 'diagnose/race.log'],
    ],
    ['preflight', () => ['preflight', jobs]],
    ['stats', () => statsArgs()],
  ];
  describe.each([80, 160])('at %i columns', (columns) => {
    it.each(tables)('%s', async (_name, args) => {
      const out = await shown(args(), { COLUMNS: String(columns) });
      // A command shown to paste (`$ cnm …`) is never wrapped (layout.ts KEEP_WHOLE): a wrapped one would not paste.
      for (const line of out.stdout.split('\n'))
        if (!line.startsWith('$ ')) expect(line.length, line).toBeLessThanOrEqual(columns);
      expect(out).toMatchSnapshot();
    });
  });
});
