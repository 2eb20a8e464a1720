/**
 * An in-memory Azurite blob server on an ephemeral loopback port, for `cnm demo` and the tests.
 * Azurite has no `exports` map and its `main` is the VS Code extension, so the server classes are
 * deep-required. `skipApiVersionCheck` is required: @azure/storage-blob 12.32
 * sends x-ms-version 2026-04-06, newer than Azurite 3.35 accepts.
 */
import { createRequire } from 'node:module';
import { CnmError } from '../core/errors.js';
import { DEV_ACCOUNT, DEV_KEY } from '../core/connection-string.js';

export interface EmbeddedAzurite {
  blobEndpoint: string;
  connectionString: string;
  debugLogPath?: string;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Write Azurite's --debug log here (the demo and tests read it back as a capture source). */
  debugLogPath?: string;
  /** Default true: the SDK sends an x-ms-version newer than Azurite accepts (docs/azurite-differences.md AZ-14). */
  skipApiVersionCheck?: boolean;
}

interface BlobServerLike {
  start(): Promise<void>;
  close(): Promise<void>;
  clean(): Promise<void>;
  getHttpServerAddress(): string;
}

interface AzuriteModules {
  BlobServer: new (cfg: unknown) => BlobServerLike;
  BlobConfiguration: new (...args: unknown[]) => unknown;
  configLogger: (enable: boolean, file?: string) => void;
}

function loadAzurite(): AzuriteModules {
  const require = createRequire(import.meta.url);
  try {
    // Azurite's telemetry client patches console.log on import; keep the original.
    const log = console.log;
    const server = require('azurite/dist/src/blob/BlobServer.js') as { default: AzuriteModules['BlobServer'] };
    const config = require('azurite/dist/src/blob/BlobConfiguration.js') as {
      default: AzuriteModules['BlobConfiguration'];
    };
    const logger = require('azurite/dist/src/common/Logger.js') as Pick<AzuriteModules, 'configLogger'>;
    console.log = log;
    return { BlobServer: server.default, BlobConfiguration: config.default, configLogger: logger.configLogger };
  } catch (err) {
    throw new CnmError('usage', 'the embedded Azurite is not installed', {
      hint: 'it is an optional dependency: run `npm install azurite@3.35.0`',
      cause: err,
    });
  }
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<EmbeddedAzurite> {
  const { BlobServer, BlobConfiguration, configLogger } = loadAzurite();
  const debug = options.debugLogPath !== undefined;
  const cfg = new BlobConfiguration(
    '127.0.0.1',
    0,
    undefined,
    undefined,
    undefined,
    undefined,
    false,
    undefined, // access log
    debug,
    options.debugLogPath, // debug log
    false,
    options.skipApiVersionCheck ?? true, // loose, skipApiVersionCheck
    '',
    '',
    '',
    undefined,
    false, // cert, key, pwd, oauth, disableProductStyleUrl
    true, // in-memory persistence
  );
  // Azurite's CLI wires its debug log in main.js (configLogger); an in-process server must do the same.
  if (debug) configLogger(true, options.debugLogPath);
  const server = new BlobServer(cfg);
  await server.start();
  const blobEndpoint = `${server.getHttpServerAddress()}/${DEV_ACCOUNT}`;
  return {
    blobEndpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${blobEndpoint};`,
    debugLogPath: options.debugLogPath,
    async stop() {
      await server.close();
      await server.clean();
      if (debug) configLogger(false);
    },
  };
}
