/** Exit codes of SPEC §3. The entry point is the only place that turns them into process.exitCode. */
export const ExitCode = {
  ok: 0,
  finding: 1,
  usage: 2,
  azure: 3,
  notFound: 4,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export type CnmErrorCode =
  | 'usage'
  | 'input'
  | 'auth'
  | 'network'
  | 'timeout'
  | 'throttled'
  | 'azure'
  | 'not-found'
  | 'interrupted'
  | 'internal';

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

/** Where bad input was found: printed as `file:line path: message`. */
export interface InputLocation {
  file?: string;
  line?: number;
  path?: string;
}

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

export function formatLocation(loc: InputLocation | undefined): string {
  if (!loc) return '';
  const place = [loc.file, loc.line].filter((p) => p !== undefined).join(':');
  return [place, loc.path].filter(Boolean).join(' ');
}

/** `cnm: <where> <what> — <hint>`, the single line SPEC §3 asks for. */
export function formatErrorLine(err: CnmError): string {
  const where = formatLocation(err.location);
  const what = where ? `${where}: ${err.message}` : err.message;
  return `cnm: ${what}${err.hint ? ` — ${err.hint}` : ''}`;
}
