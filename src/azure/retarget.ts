/**
 * Where a replay goes. A capture names the endpoint it was sent to; `--account-url` or a connection string
 * re-points it (a capture from production replayed against a copy, or an emulator whose port changed).
 */
import type { ConnectionOptions, Env } from './access-plan.js';
import type { BlobRef } from '../core/blob-ref.js';

export function retarget(ref: BlobRef, connection: ConnectionOptions, env: Env): BlobRef {
  const explicit = connection.accountUrl ?? connection.connectionString ?? env.AZURE_STORAGE_CONNECTION_STRING;
  if (!explicit) return ref;
  // The SAS of a captured URL is a stale credential for another place; the user's credentials apply.
  const { accountUrl: _u, sas: _s, ...rest } = ref;
  return connection.accountUrl ? { ...rest, accountUrl: connection.accountUrl.replace(/\/+$/, '') } : rest;
}
