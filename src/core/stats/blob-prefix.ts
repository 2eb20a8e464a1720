/**
 * `--blob <prefix>` checked against Azure's naming rules, so a prefix no blob can be under is an input error (exit 2)
 * rather than "no request in range" (exit 4). Account names are 3–24 lower-case letters and digits; container
 * names 3–63 lower-case letters, digits and single hyphens, or `$root`, `$logs`, `$web`
 * (learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata,
 * learn.microsoft.com/azure/storage/common/storage-account-overview#storage-account-name). A segment the prefix cuts
 * short need only be the start of such a name. Pure.
 */
import { checkContainerName } from '../blob-ref.js';

const SPECIAL = ['$root', '$logs', '$web'];

function containerStart(text: string): boolean {
  return SPECIAL.some((n) => n.startsWith(text)) || (/^[a-z0-9][a-z0-9-]{0,62}$/.test(text) && !text.includes('--'));
}

/**
 * Only capitals rule an account out: requests are keyed by the account in lower case, and a key's account may be a
 * custom domain's first label rather than an account name (observed.ts blobKeyOfUrl).
 */
function accountProblem(account: string): string | undefined {
  if (account === account.toLowerCase()) return undefined;
  return `"${account}" has capitals, and account names are lower-case (3–24 lower-case letters and digits)`;
}

function containerProblem(container: string, whole: boolean): string | undefined {
  if (whole) return checkContainerName(container);
  if (container === '' || containerStart(container)) return undefined;
  return `"${container}" is not the start of a container name (3–63 lower-case letters, digits and single hyphens)`;
}

/** Why no blob can be under `prefix` (`container/prefix` or `/account/container/prefix`), or undefined. */
export function blobPrefixProblem(prefix: string): string | undefined {
  const rooted = prefix.startsWith('/');
  const parts = (rooted ? prefix.slice(1) : prefix).split('/');
  if (rooted) {
    const bad = accountProblem(parts[0]!);
    if (bad) return bad;
    parts.shift();
    if (parts.length === 0) return undefined;
  }
  return containerProblem(parts[0]!, parts.length > 1);
}
