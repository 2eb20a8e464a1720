/**
 * The global options, checked by hand, not with zod: every command pays for this module, and importing zod
 * costs 30–40 ms of start-up (measured with `npm run bench`); files are still validated with zod.
 */
import type { GlobalOptions } from '../commands/context.js';
import { CnmError } from '../core/errors.js';
import { FORMATS, isFormat } from '../render/render.js';

const STRINGS = ['connectionString', 'sas', 'accountKey', 'accountName', 'accountUrl'] as const;

function flag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function bad(key: string, message: string): CnmError {
  return new CnmError('usage', `${flag(key)}: ${message}`, { hint: 'see cnm --help' });
}

function timeoutOf(raw: unknown): number {
  if (raw === undefined) return 30_000;
  const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : JSON.stringify(raw);
  const n = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n <= 0 || n > 600_000)
    throw bad('timeout', `"${text}" is not a whole number of milliseconds from 1 to 600000`);
  return n;
}

function stringsOf(raw: Record<string, unknown>): Partial<GlobalOptions> {
  const out: Partial<Record<(typeof STRINGS)[number], string>> = {};
  for (const key of STRINGS) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.trim() === '') throw bad(key, 'must not be empty');
    out[key] = v;
  }
  if (out.accountUrl !== undefined && !URL.canParse(out.accountUrl))
    throw bad('accountUrl', `"${out.accountUrl}" is not a URL`);
  return out;
}

export function parseGlobalOptions(raw: Record<string, unknown>): GlobalOptions {
  const format = raw.format as string | undefined;
  if (format !== undefined && !isFormat(format)) throw bad('format', `"${format}" is not one of ${FORMATS.join(', ')}`);
  if (raw.json && format && format !== 'json') {
    throw new CnmError('usage', `--json conflicts with --format ${format}`, { hint: 'pass one of them' });
  }
  return {
    format: raw.json ? 'json' : (format ?? 'table'),
    ...(typeof raw.color === 'boolean' ? { color: raw.color } : {}),
    timeout: timeoutOf(raw.timeout),
    debug: raw.debug === true,
    quiet: raw.quiet === true,
    ...stringsOf(raw),
  };
}
