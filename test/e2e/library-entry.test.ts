/**
 * The built entry points load only what they need: `import('cnm')` loads neither the CLI (commander, cli-table3)
 * nor Azurite; `import('cnm/testing')` loads Azurite only when checkConcurrentWrites runs. Checked in a fresh Node
 * process on dist/ (the bundle the package ships), reading the CommonJS module cache those packages land in.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (path: string) => fileURLToPath(new URL(`../../dist/${path}`, import.meta.url));

function node(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim()),
    );
  });
}

const LOADED = `
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
const loaded = () => [...new Set(Object.keys(cache).map((k) => /node_modules[\\\\/](azurite|commander|cli-table3)[\\\\/]/.exec(k)?.[1]).filter(Boolean))];
`;

describe('what each entry point loads', () => {
  it("import('cnm'): the library, without the CLI or Azurite", async () => {
    const out = await node(`${LOADED}
      const m = await import(${JSON.stringify(dist('lib/index.js'))});
      console.log(JSON.stringify({ loaded: loaded(), exports: Object.keys(m).sort() }));`);
    const { loaded, exports } = JSON.parse(out);
    expect(loaded).toEqual([]);
    expect(exports).toEqual(
      expect.arrayContaining(['withBlobLease', 'withContainerLease', 'auditConditionalRequests', 'LeaseLostError']),
    );
  });

  it("import('cnm/testing'): Azurite only once checkConcurrentWrites runs", async () => {
    const out = await node(`${LOADED}
      const m = await import(${JSON.stringify(dist('testing/index.js'))});
      const before = loaded();
      const append = async (blob, token) => {
        const items = JSON.parse((await blob.downloadToBuffer()).toString());
        await blob.upload(JSON.stringify([...items, token]), JSON.stringify([...items, token]).length);
      };
      const r = await m.checkConcurrentWrites({ write: append, writers: 1, iterations: 2, faults: false });
      console.log(JSON.stringify({ before, after: loaded(), lost: r.lostUpdates, exports: Object.keys(m).sort() }));`);
    const { before, after, lost, exports } = JSON.parse(out);
    expect(before).toEqual([]);
    expect(after).toEqual(['azurite']);
    expect(lost).toBe(0);
    expect(exports).toEqual(['DEFAULT_FAULTS', 'checkConcurrentWrites', 'startFaultProxy']);
  });
});
