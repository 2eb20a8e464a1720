/**
 * Input a bad-input review found ending in an internal error (exit 70), a changed request or a credential sent to
 * another host: each is refused as input (exit 2 through the CLI) with what is wrong and where.
 */
import { describe, expect, it } from 'vitest';
import { chooseAccess } from '../../src/azure/access-plan.js';
import { remoteSources } from '../../src/commands/log-sources.js';
import { parseBlobRef } from '../../src/core/blob-ref.js';
import { CnmError } from '../../src/core/errors.js';
import { parseCaptureJson } from '../../src/parse/capture.js';
import { lowerCaseHeaders, MAX_HEADERS, unsendableHeader } from '../../src/parse/headers.js';
import { parseJobs } from '../../src/parse/jobs.js';

const capture = (headers: Record<string, unknown>) =>
  JSON.stringify({
    request: { method: 'PUT', url: 'https://acct.blob.core.windows.net/ctr/b?comp=metadata', headers },
  });

describe('headers that cannot be sent as captured', () => {
  it.each([
    ['a lease id past U+00FF', { 'x-ms-lease-id': '\u2603' }, 'request.headers.x-ms-lease-id'],
    ['a NUL', { 'x-ms-lease-id': '\u0000' }, 'request.headers.x-ms-lease-id'],
    ['CR LF in a value (it went out changed)', { 'if-match': '"x"\r\nX-Evil: 1' }, 'request.headers.if-match'],
    ['a name that is not a token', { 'If Match\n': '"x"' }, 'request.headers'],
  ])('%s: an issue at its path', (_what, headers, path) => {
    const parsed = parseCaptureJson(capture(headers), 'c.json');
    const c = parsed.ok ? parsed.value : undefined;
    expect(c && unsendableHeader(c.request.headers)).toMatchObject({ path });
  });

  it(`more than ${MAX_HEADERS} headers are refused before any map is built from them`, () => {
    const many = Object.fromEntries(Array.from({ length: MAX_HEADERS + 1 }, (_, i) => [`x-h${i}`, 'v']));
    const parsed = parseCaptureJson(capture(many), 'c.json');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issue).toMatchObject({ path: 'request.headers' });
  });

  it('a header named constructor is a header, not Object.prototype.constructor', () => {
    expect(lowerCaseHeaders({ constructor: 'x', toString: 'y' })).toEqual({ constructor: 'x', tostring: 'y' });
  });

  it('a jobs file whose lease id or If-Match no header can carry: an issue at [i].<key>', () => {
    for (const [key, value] of [
      ['leaseId', '\u0000'],
      ['ifMatch', '"x"\r\nX: 1'],
    ]) {
      const r = parseJobs(JSON.stringify([{ blob: 'ctr/b.json', [key!]: value }]), 'jobs.json');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issue.path).toBe(`[0].${key}`);
    }
  });
});

describe('references and options that were internal errors', () => {
  it.each(['ctr/..', 'ctr/a/../..', 'ctr/./b'])('%s: a blob name no URL can address', (input) => {
    const r = parseBlobRef(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/has a "\." or "\.\." segment/);
    expect(parseBlobRef('ctr/a..b').ok).toBe(true);
  });

  it('an account name that is not one', () => {
    const ref = parseBlobRef('ctr/b');
    if (!ref.ok) throw new Error(ref.message);
    expect(() => chooseAccess(ref.value, { accountName: 'BAD NAME!', accountKey: 'YWJj' }, {})).toThrow(
      /account name "BAD NAME!" is not a storage account name/,
    );
  });

  it('a --workspace-endpoint that is not an http(s) URL', () => {
    for (const endpoint of ['not a url', 'ftp://x'])
      expect(() => remoteSources({ workspace: 'ws', workspaceEndpoint: endpoint })).toThrow(CnmError);
    expect(remoteSources({ workspace: 'ws', workspaceEndpoint: 'http://127.0.0.1:1' }).workspace?.endpoint).toBe(
      'http://127.0.0.1:1',
    );
  });
});

describe('credentials go only to Azure Storage hosts, the emulator, or the host their settings name', () => {
  const refOf = (s: string) => {
    const r = parseBlobRef(s);
    if (!r.ok) throw new Error(r.message);
    return r.value;
  };
  const key = { accountName: 'acct', accountKey: 'YWJj' };

  it('a capture URL on another host is refused, whatever the credential', () => {
    const evil = refOf('https://evil.example.com/ctr/b.json');
    expect(() => chooseAccess(evil, key, {})).toThrow(/not an Azure Storage endpoint.*--account-key/);
    expect(() => chooseAccess(evil, {}, {})).toThrow(/DefaultAzureCredential/);
    expect(() => chooseAccess(evil, { sas: 'sv=1&sig=x' }, {})).toThrow(/--sas/);
  });

  it('Azure clouds, loopback, a host confirmed by --account-url or the connection string, and a SAS in the URL itself', () => {
    for (const url of [
      'https://acct.blob.core.windows.net/ctr/b',
      'https://acct.blob.core.chinacloudapi.cn/ctr/b',
      'https://acct.z12.blob.storage.azure.net/ctr/b',
      'http://127.0.0.1:10000/devstoreaccount1/ctr/b',
    ])
      expect(chooseAccess(refOf(url), key, {}).kind).toBe('shared-key');
    const custom = refOf('https://files.contoso.com/ctr/b');
    expect(chooseAccess(custom, { ...key, accountUrl: 'https://files.contoso.com' }, {}).kind).toBe('shared-key');
    const cs =
      'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=YWJj;BlobEndpoint=https://files.contoso.com/';
    expect(chooseAccess(custom, { connectionString: cs }, {}).kind).toBe('shared-key');
    expect(chooseAccess(refOf('https://files.contoso.com/ctr/b?sv=1&sig=x'), {}, {}).kind).toBe('sas');
  });
});

describe('credentials and endpoints that are wrong on their face: exit 2, not a DNS error (exit 3)', () => {
  it.each([
    ['AccountKey not base64', 'AccountName=acct;AccountKey=not base64!!', /AccountKey is not base64/],
    [
      'EndpointSuffix empty',
      'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=YWJj;EndpointSuffix=',
      /no complete host/,
    ],
    ['BlobEndpoint not http(s)', 'AccountName=acct;AccountKey=YWJj;BlobEndpoint=ftp://x', /not an http\(s\) URL/],
    [
      'DefaultEndpointsProtocol unknown',
      'DefaultEndpointsProtocol=gopher;AccountName=acct;AccountKey=YWJj',
      /not an http\(s\) URL/,
    ],
  ])('%s', async (_what, cs, message) => {
    const { parseConnectionString } = await import('../../src/core/connection-string.js');
    const r = parseConnectionString(cs);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('--account-key and --account-url checked the same way', () => {
    const ref = parseBlobRef('ctr/b');
    if (!ref.ok) throw new Error(ref.message);
    expect(() => chooseAccess(ref.value, { accountName: 'acct', accountKey: 'not base64!!' }, {})).toThrow(
      /--account-key is not base64/,
    );
    expect(() =>
      chooseAccess(ref.value, { accountName: 'acct', accountKey: 'YWJj', accountUrl: 'ftp://x' }, {}),
    ).toThrow(/--account-url: the URL is not an http\(s\) URL/);
  });
});

describe('jobs files and options the review found accepted', () => {
  it('two jobs with one id (1 and "1" too) are an issue at the second; an empty id is one', () => {
    const dup = parseJobs('[{"id":1,"blob":"ctr/a.json"},\n{"id":"1","blob":"ctr/b.json"}]', 'jobs.json');
    expect(dup.ok).toBe(false);
    if (!dup.ok)
      expect(dup.issue).toMatchObject({ path: '[1].id', line: 2, message: expect.stringMatching(/another job/) });
    const nd = parseJobs('{"id":"x","blob":"ctr/a.json"}\n{"id":"x","blob":"ctr/b.json"}\n', 'jobs.ndjson');
    expect(nd.ok).toBe(false);
    if (!nd.ok) expect(nd.issue).toMatchObject({ line: 2, path: 'id' });
    const empty = parseJobs('[{"id":"","blob":"ctr/a.json"}]', 'jobs.json');
    expect(empty.ok).toBe(false);
    expect(parseJobs('[{"blob":"ctr/a.json"},{"blob":"ctr/a.json"}]', 'jobs.json').ok).toBe(true);
  });

  it('load --strategy with no name is a usage error, not a run of none', async () => {
    const { loadPlan } = await import('../../src/commands/load.js');
    expect(() => loadPlan({ strategy: [''] })).toThrow(/--strategy: no strategy named/);
    expect(loadPlan({ strategy: ['etag'] }).strategies).toEqual(['etag']);
  });
});
