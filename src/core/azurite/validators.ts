/**
 * Azurite 3.35's condition and lease validators, rule for rule (node_modules/azurite/dist/src/blob/conditions/
 * ReadConditionalHeadersValidator.js, WriteConditionalHeadersValidator.js, ConditionalHeadersAdapter.js,
 * lease/BlobReadLeaseValidator.js, lease/BlobWriteLeaseValidator.js). Each answer names the difference from Azure
 * it shows, when it is one (docs/azurite-differences.md). Pure.
 */
import type { RuleContext } from '../conditions/rule.js';
import { parseHttpDate, toEpochSeconds } from '../http-date.js';
import { sameLeaseId } from '../conditions/lease-id.js';
import type { BlobState } from '../types.js';
import { azuriteTags } from './tags.js';

export interface AzuriteAnswer {
  status: number;
  errorCode?: string;
  /** The AZ id this step shows, when the step itself differs from Azure. */
  id?: string;
}

const FAILED = (id?: string): AzuriteAnswer => ({
  status: 412,
  errorCode: 'ConditionNotMet',
  ...(id ? { id } : {}),
});
/** A 304 only ever differs from Azure on a PUT (Snapshot, copy source): AZ-2. */
const NOT_MODIFIED: AzuriteAnswer = { status: 304, errorCode: 'ConditionNotMet', id: 'AZ-2' };
const UNSATISFIABLE: AzuriteAnswer = { status: 400, errorCode: 'UnsatisfiableCondition', id: 'AZ-6' };
const MULTIPLE: AzuriteAnswer = { status: 400, errorCode: 'MultipleConditionHeadersNotSupported' };

/**
 * ConditionalHeadersAdapter: split on "," and strip quotes only from an item that starts AND ends with one, without
 * trimming, so the second item of `"a", "b"` keeps its space and quotes and never matches (AZ-21); `W/"a"` keeps
 * its `W/` (AZ-13).
 */
function azuriteList(value: string | undefined): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  return value.split(',').map((e) => (e.startsWith('"') && e.endsWith('"') ? e.slice(1, -1) : e));
}

const bare = (etag: string) => etag.replace(/^"(.*)"$/, '$1');

function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseHttpDate(value);
  return parsed.ok ? toEpochSeconds(parsed.value) : undefined;
}

/** Why an If-Match that Azure would accept fails on Azurite: a weak tag (AZ-13) or a spaced list (AZ-21). */
function ifMatchId(list: string[], etag: string): string | undefined {
  if (list.some((e) => /^\s*W\//.test(e) && bare(e.trim().slice(2)) === etag)) return 'AZ-13';
  if (list.some((e) => bare(e.trim()) === etag)) return 'AZ-21';
  return undefined;
}

interface Headers {
  im?: string;
  inm?: string;
  ims?: string;
  ius?: string;
}

function headersOf(ctx: RuleContext, prefix: string): Headers {
  const h = ctx.headers;
  return {
    im: h[`${prefix}if-match`],
    inm: h[`${prefix}if-none-match`],
    ims: h[`${prefix}if-modified-since`],
    ius: h[`${prefix}if-unmodified-since`],
  };
}

/** ReadConditionalHeadersValidator: `IM && IUS && (INM || IMS)`, but INM `*` → 400 first, and a missing blob fails only If-Match. */
export function readConditions(
  ctx: RuleContext,
  scope: 'main' | 'source',
  target: BlobState | undefined,
): AzuriteAnswer | undefined {
  const h = headersOf(ctx, scope === 'source' ? 'x-ms-source-' : '');
  const im = azuriteList(h.im);
  const inm = azuriteList(h.inm);
  if (!target?.exists) {
    if (im) return FAILED(scope === 'source' ? 'AZ-3' : 'AZ-1');
    return inm?.[0] === '*' ? UNSATISFIABLE : undefined;
  }
  const etag = bare(target.etag ?? '');
  const last = toEpochSeconds(target.lastModified ?? new Date(0));
  if (inm?.[0] === '*') return UNSATISFIABLE;
  const ims = seconds(h.ims);
  const ius = seconds(h.ius);
  const inmPass = inm ? !inm.includes(etag) : undefined;
  // A failing copy-source condition is 412 ConditionNotMet, never SourceConditionNotMet (AZ-3).
  const failed = (id?: string) => FAILED(scope === 'source' ? 'AZ-3' : id);
  const imsPass = ims !== undefined ? ims < last : undefined;
  if (im && !(im.includes(etag) || im[0] === '*')) return failed(ifMatchId(im, etag));
  if (ius !== undefined && !(last <= ius)) return failed();
  if ((inmPass === false && imsPass !== true) || (imsPass === false && inmPass !== true)) return NOT_MODIFIED;
  const tags = azuriteTags(ctx, scope);
  // Where Azure would pass the predicate, Azurite's failure is AZ-29's, on the source too (not AZ-3's code).
  if (tags?.fails && tags.differs) return FAILED('AZ-29');
  return tags?.fails ? failed() : undefined;
}

/** WriteConditionalHeadersValidator.validateCombinations: the pair rule and one ETag per header, before anything else. */
function combinations(h: Headers): AzuriteAnswer | undefined {
  const im = azuriteList(h.im);
  const inm = azuriteList(h.inm);
  if ((im?.length ?? 0) > 1 || (inm?.length ?? 0) > 1) return MULTIPLE;
  const n = [im, inm, h.ims, h.ius].filter((x) => x !== undefined && x !== '').length;
  const softPair = Number(inm !== undefined) + Number(!!h.ims);
  return n > 2 || (n === 2 && softPair === 1) ? MULTIPLE : undefined;
}

/**
 * Whether WriteConditionalHeadersValidator gets as far as `x-ms-if-tags`: only when none of the four headers decides
 * (writeConditions below, the same steps).
 */
export function writeReachesTags(ctx: RuleContext): boolean {
  const h = headersOf(ctx, '');
  return !azuriteList(h.im) && !azuriteList(h.inm) && seconds(h.ims) === undefined && seconds(h.ius) === undefined;
}

/**
 * WriteConditionalHeadersValidator: the first present header decides (INM, IM, IMS, IUS); `x-ms-if-tags` only when
 * none of them is present (AZ-4); INM `*` passes (AZ-7); on a missing blob only a specific If-Match fails (AZ-1).
 */
export function writeConditions(ctx: RuleContext): AzuriteAnswer | undefined {
  const h = headersOf(ctx, '');
  const shape = combinations(h);
  if (shape) return shape;
  const im = azuriteList(h.im);
  const inm = azuriteList(h.inm);
  if (!ctx.state.exists) return !inm && im && im[0] !== '*' ? FAILED('AZ-1') : undefined;
  const etag = bare(ctx.state.etag ?? '');
  const last = toEpochSeconds(ctx.state.lastModified ?? new Date(0));
  const tags = azuriteTags(ctx, 'main');
  if (inm) return inm[0] !== '*' && inm[0] === etag ? FAILED() : undefined;
  if (im) return im[0] !== '*' && im[0] !== etag ? FAILED(ifMatchId(im, etag)) : undefined;
  const ims = seconds(h.ims);
  if (ims !== undefined) return last <= ims ? FAILED() : undefined;
  const ius = seconds(h.ius);
  if (ius !== undefined) return ius < last ? FAILED() : undefined;
  return tags?.fails ? FAILED(tags.differs ? 'AZ-29' : undefined) : undefined;
}

/** Blob and container validators differ only in the code's noun (ContainerReadLeaseValidator, ContainerDeleteLeaseValidator). */
const noun = (ctx: RuleContext) => (ctx.operation.target === 'container' ? 'Container' : 'Blob');
const notPresent = (ctx: RuleContext): AzuriteAnswer => ({
  status: 412,
  errorCode: `LeaseNotPresentWith${noun(ctx)}Operation`,
});
const idMismatch = (ctx: RuleContext): AzuriteAnswer => ({
  status: 412,
  errorCode: `LeaseIdMismatchWith${noun(ctx)}Operation`,
});

function leaseIdOf(ctx: RuleContext): string | undefined {
  const id = ctx.headers['x-ms-lease-id'];
  return id === undefined || id === '' ? undefined : id;
}

const locked = (state: BlobState) => state.lease?.status === 'locked';
const mismatch = (state: BlobState, id: string) => state.lease?.id !== undefined && !sameLeaseId(state.lease.id, id);

/** BlobReadLeaseValidator (ContainerReadLeaseValidator): only when an id is sent; unlocked → LeaseNotPresent (LeaseLost's message, AZ-10). */
export function readLease(ctx: RuleContext): AzuriteAnswer | undefined {
  const id = leaseIdOf(ctx);
  if (id === undefined) return undefined;
  if (!locked(ctx.state)) return notPresent(ctx);
  return mismatch(ctx.state, id) ? idMismatch(ctx) : undefined;
}

/** BlobWriteLeaseValidator (ContainerDeleteLeaseValidator): locked needs the id; unlocked refuses one. No infinite-lease check (AZ-11). */
export function writeLease(ctx: RuleContext): AzuriteAnswer | undefined {
  const id = leaseIdOf(ctx);
  if (!locked(ctx.state)) return id === undefined ? undefined : notPresent(ctx);
  if (id === undefined) return { status: 412, errorCode: 'LeaseIdMissing' };
  return mismatch(ctx.state, id) ? idMismatch(ctx) : undefined;
}
