/**
 * What the Azure adapters need from whoever calls them — the CLI, a test, the library — and nothing else:
 * the credentials given, the environment, the timeout, where learned secrets go and, for --debug,
 * where trace lines go. The CLI's own context never reaches this folder.
 */
import type { SecretSink } from '../core/redact.js';
import type { ConnectionOptions, Env } from './access-plan.js';

export interface AzureAccess {
  connection: ConnectionOptions;
  env: Env;
  /** `--timeout`: one request's whole exchange, in ms (timeout-policy.ts). */
  timeout: number;
  secrets: SecretSink;
  /** `--debug`: one redacted line per request and response. */
  trace?: (line: string) => void;
}
