import { describe, expect, it } from 'vitest';
import { chooseAccess, planSecrets } from '../../src/azure/access-plan.js';
import { parseBlobRef } from '../../src/core/blob-ref.js';
import { DEV_KEY } from '../../src/core/connection-string.js';

const ref = (s: string) => {
  const r = parseBlobRef(s);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};
const CS = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5a2V5a2V5;EndpointSuffix=core.windows.net';

describe('credentials, first match wins', () => {
  it.each([
    [
      '--connection-string beats everything',
      { connectionString: CS, sas: 'sv=1&sig=x', accountKey: 'k' },
      {},
      'shared-key',
      '--connection-string',
    ],
    [
      'AZURE_STORAGE_CONNECTION_STRING when no flag',
      {},
      { AZURE_STORAGE_CONNECTION_STRING: CS, AZURE_STORAGE_SAS_TOKEN: 'sig=x' },
      'shared-key',
      'AZURE_STORAGE_CONNECTION_STRING',
    ],
    ['--sas before an account key', { sas: '?sv=1&sig=abc', accountKey: 'k', accountName: 'acct' }, {}, 'sas', '--sas'],
    [
      'AZURE_STORAGE_SAS_TOKEN',
      { accountName: 'acct' },
      { AZURE_STORAGE_SAS_TOKEN: 'sv=1&sig=abc' },
      'sas',
      'AZURE_STORAGE_SAS_TOKEN',
    ],
    ['--account-key with --account-name', { accountKey: 'k', accountName: 'acct' }, {}, 'shared-key', '--account-key'],
    [
      'AZURE_STORAGE_KEY with AZURE_STORAGE_ACCOUNT',
      {},
      { AZURE_STORAGE_KEY: 'k', AZURE_STORAGE_ACCOUNT: 'acct' },
      'shared-key',
      'AZURE_STORAGE_KEY',
    ],
    [
      'nothing given → DefaultAzureCredential',
      { accountName: 'acct' },
      {},
      'default-azure-credential',
      'DefaultAzureCredential',
    ],
  ])('%s', (_l, opts, env, kind, from) => {
    const plan = chooseAccess(ref('c1x/b.json'), opts, env);
    expect(plan.kind).toBe(kind);
    expect(plan.from).toBe(from);
  });

  it('a SAS in the URL is used before any key', () => {
    const plan = chooseAccess(
      ref('https://acct.blob.core.windows.net/ctr/b.json?sv=2025-01-05&sig=abc'),
      { accountKey: 'k' },
      {},
    );
    expect(plan).toMatchObject({
      kind: 'sas',
      endpoint: 'https://acct.blob.core.windows.net',
      from: 'the SAS in the URL',
    });
  });

  it('UseDevelopmentStorage=true → the well-known emulator account on 127.0.0.1:10000', () => {
    const plan = chooseAccess(ref('ctr/b.json'), { connectionString: 'UseDevelopmentStorage=true' }, {});
    expect(plan).toMatchObject({
      kind: 'shared-key',
      endpoint: 'http://127.0.0.1:10000/devstoreaccount1',
      accountName: 'devstoreaccount1',
      accountKey: DEV_KEY,
    });
  });

  it('a URL names the endpoint; DefaultAzureCredential needs nothing else', () => {
    const plan = chooseAccess(ref('https://prod.blob.core.windows.net/ctr/b.json'), {}, {});
    expect(plan).toEqual({
      kind: 'default-azure-credential',
      endpoint: 'https://prod.blob.core.windows.net',
      from: 'DefaultAzureCredential',
    });
  });

  it('no account anywhere → a usage error', () => {
    expect(() => chooseAccess(ref('ctr/b.json'), {}, {})).toThrow(/no storage account given/);
  });

  it('a key without an account name → a usage error', () => {
    expect(() =>
      chooseAccess(ref('ctr/b.json'), { accountKey: 'k', accountUrl: 'https://a.blob.core.windows.net' }, {}),
    ).toThrow(/without an account name/);
  });

  it("a plan's secrets include the key and the SAS sig, raw and URL-encoded", () => {
    const plan = chooseAccess(ref('ctr/b.json'), { sas: 'sv=1&sig=ab%2Bc', accountName: 'acct' }, {});
    expect(planSecrets(plan, {}, {})).toEqual(expect.arrayContaining(['ab+c', 'ab%2Bc']));
  });
});

/** Every file of the built CLI bundle, as text. */
async function builtCliText(): Promise<string> {
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = new URL('../../dist/cli/', import.meta.url);
  const files = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => new URL(f, dir)),
    ...readdirSync(new URL('chunks/', dir))
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => new URL(`chunks/${f}`, dir)),
  ];
  return files.map((f) => readFileSync(f, 'utf8')).join('\n');
}

describe('heavy modules load only on the paths that need them', () => {
  it.each([
    [
      '@azure/identity',
      'the DefaultAzureCredential path',
      /from\s*["']@azure\/identity["']/,
      /import\(\s*["']@azure\/identity["']\s*\)/,
    ],
    [
      '@azure/monitor-query-logs',
      'the --workspace path',
      /from\s*["']@azure\/monitor-query-logs["']/,
      /import\(\s*["']@azure\/monitor-query-logs["']\s*\)/,
    ],
  ])(
    '%s: no built CLI file imports it statically; %s imports it dynamically',
    async (_m, _path, staticImport, dynamicImport) => {
      const text = await builtCliText();
      expect(text).not.toMatch(staticImport);
      expect(text).toMatch(dynamicImport);
    },
  );
});
