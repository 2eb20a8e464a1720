/**
 * The one error type and the exit codes (README.md), as data: thrown by commands and adapters, caught
 * and printed once by the CLI's entry point (src/cli/main.ts), the only place that sets process.exitCode.
 */
export const ExitCode = {
  ok: 0,
  finding: 1,
  usage: 2,
  azure: 3,
  notFound: 4,
  interrupted: 130,
} as const;

export type CnmErrorCode =
  'usage' | 'input' | 'auth' | 'network' | 'timeout' | 'throttled' | 'azure' | 'not-found' | 'interrupted' | 'internal';

const exitFor: Record<CnmErrorCode, number> = {
  usage: ExitCode.usage,
  input: ExitCode.usage,
  auth: ExitCode.azure,
  network: ExitCode.azure,
  timeout: ExitCode.azure,
  throttled: ExitCode.azure,
  azure: ExitCode.azure,
  'not-found': ExitCode.notFound,
  interrupted: ExitCode.interrupted,
  internal: 70,
};

import type { InputLocation } from './issue.js';

export type { InputLocation } from './issue.js';

export interface CnmErrorOptions {
  hint?: string;
  location?: InputLocation;
  cause?: unknown;
  /** Azure facts carried for --debug and JSON error output. */
  status?: number;
  errorCode?: string;
  requestId?: string;
}

/** The one error type: every failure the user should see as one line becomes a CnmError. */
export class CnmError extends Error {
  readonly code: CnmErrorCode;
  readonly exitCode: number;
  readonly hint?: string;
  readonly location?: InputLocation;
  readonly status?: number;
  readonly errorCode?: string;
  readonly requestId?: string;

  constructor(code: CnmErrorCode, message: string, options: CnmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CnmError';
    this.code = code;
    this.exitCode = exitFor[code];
    this.hint = options.hint;
    this.location = options.location;
    this.status = options.status;
    this.errorCode = options.errorCode;
    this.requestId = options.requestId;
  }
}
