/**
 * Where a replay goes. A capture names the endpoint it was sent to; `--account-url` or a connection string
 * re-points it (a capture from production replayed against a copy, or an emulator whose port changed).
 */
import type { Context } from '../cli/context.js';
import type { BlobRef } from '../core/blob-ref.js';

export function retarget(ref: BlobRef, ctx: Context): BlobRef {
  const explicit = ctx.options.accountUrl ?? ctx.options.connectionString ?? ctx.env.AZURE_STORAGE_CONNECTION_STRING;
  if (!explicit) return ref;
  // The SAS of a captured URL is a stale credential for another place; the user's credentials apply.
  const { accountUrl: _u, sas: _s, ...rest } = ref;
  return ctx.options.accountUrl ? { ...rest, accountUrl: ctx.options.accountUrl.replace(/\/+$/, '') } : rest;
}
