// Start-up and inspect: `cnm --version` against bare `node -e 0`; `cnm inspect` against a bare
// @azure/storage-blob getProperties script; and, where the Azure CLI is installed, against `az storage blob show`.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite } from '../../dist/azure/embedded-azurite.js';

const cnm = fileURLToPath(new URL('../../bin/cnm.js', import.meta.url));
const bare = fileURLToPath(new URL('./lib/bare-get-properties.mjs', import.meta.url));

function hasAz() {
  try {
    execFileSync('az', ['--version'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

export default async function ({ compare, timeProcess }) {
  const node = process.execPath;
  const rows = [];
  const v = await compare(
    () => timeProcess(node, [cnm, '--version']),
    () => timeProcess(node, ['-e', '0']),
    { runs: 20 },
  );
  rows.push({
    name: 'cnm --version vs node -e 0',
    ratio: v.ratio,
    goal: 1.6,
    baseline: `cnm ${v.a.toFixed(0)} ms, node ${v.b.toFixed(0)} ms`,
  });

  const az = await startAzurite();
  try {
    const service = BlobServiceClient.fromConnectionString(az.connectionString);
    await service.getContainerClient('bench').create();
    const blob = service.getContainerClient('bench').getBlockBlobClient('manifest.json');
    await blob.upload('{}', 2);
    await blob.getBlobLeaseClient().acquireLease(-1);
    const env = { ...process.env, AZURE_STORAGE_CONNECTION_STRING: az.connectionString, NO_COLOR: '1' };
    const i = await compare(
      () => timeProcess(node, [cnm, 'inspect', 'bench/manifest.json', '--json'], env),
      () => timeProcess(node, [bare, 'bench', 'manifest.json'], env),
      { runs: 15 },
    );
    rows.push({
      name: 'cnm inspect vs bare SDK getProperties',
      ratio: i.ratio,
      goal: 1.3,
      baseline: `cnm ${i.a.toFixed(0)} ms, SDK script ${i.b.toFixed(0)} ms`,
      detail: 'cnm also reads tags, concurrently',
    });
    if (hasAz()) {
      const a = await compare(
        () => timeProcess(node, [cnm, 'inspect', 'bench/manifest.json', '--json'], env),
        () =>
          timeProcess(
            'az',
            [
              'storage',
              'blob',
              'show',
              '--connection-string',
              az.connectionString,
              '-c',
              'bench',
              '-n',
              'manifest.json',
              '-o',
              'none',
            ],
            { ...env, AZURE_CORE_COLLECT_TELEMETRY: 'no' },
          ),
        { runs: 5, warmup: 1 },
      );
      rows.push({
        name: 'cnm inspect vs az storage blob show',
        ratio: a.ratio,
        goal: 0.25,
        baseline: `cnm ${a.a.toFixed(0)} ms, az ${a.b.toFixed(0)} ms`,
      });
    } else {
      process.stderr.write('bench: az not installed; skipping the Azure CLI comparison (apt-get install azure-cli)\n');
    }
  } finally {
    await az.stop();
  }
  return rows;
}
