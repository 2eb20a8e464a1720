/**
 * The blob's history around a failed request: who else touched it in the window, what its ETag was just
 * before, who produced the ETag the client supplied and who replaced it. Pure.
 */
import { parseHttpDate } from '../http-date.js';
import type { AtFailure, Observed, Writer, WriterRole } from './types.js';
import { sortObserved } from './observed.js';

/** Operations after which the blob has a new ETag (Lease and tag operations leave it alone). */
const CHANGES_ETAG = new Set([
  'PutBlob',
  'PutBlockList',
  'SetBlobMetadata',
  'SetBlobProperties',
  'AppendBlock',
  'AppendBlockFromURL',
  'PutPage',
  'ClearPage',
  'PutPageFromURL',
  'CopyBlob',
  'CopyBlobDestination',
  'CopyBlobFromURL',
  'PutBlobFromURL',
  'SetBlobExpiry',
  'UndeleteBlob',
  'DeleteBlob',
  'SetBlobSequenceNumber',
  'ResizePageBlob',
  'IncrementalCopyBlob',
]);

export function changesEtag(o: Observed): boolean {
  return o.status >= 200 && o.status < 300 && CHANGES_ETAG.has(o.operation);
}

/** Operations that create the blob, or replace it whole: what `If-None-Match: *` guards against. */
const CREATES = new Set([
  'PutBlob',
  'PutBlockList',
  'CopyBlob',
  'CopyBlobDestination',
  'CopyBlobFromURL',
  'PutBlobFromURL',
  'IncrementalCopyBlob',
  'UndeleteBlob',
]);

export function createsBlob(o: Observed): boolean {
  return o.status >= 200 && o.status < 300 && CREATES.has(o.operation);
}

/** A success whose response shows the blob's state then (a write's new ETag, a read's current one). */
function showsState(o: Observed): boolean {
  return o.status >= 200 && o.status < 300 && (o.etag !== undefined || o.operation === 'DeleteBlob');
}

/** Parsed times, once per request: a workload summary classifies every failure against the same requests. */
const parsed = new WeakMap<object, { time: string; ms: number | undefined }>();

export function timeMs(o: { time?: string }): number | undefined {
  if (!o.time) return undefined;
  const hit = parsed.get(o);
  if (hit?.time === o.time) return hit.ms;
  const ms = Date.parse(o.time);
  const value = Number.isNaN(ms) ? undefined : ms;
  parsed.set(o, { time: o.time, ms: value });
  return value;
}

/** Is `o` before the target? By time when both have one, else by source order. */
export function isBefore(o: Observed, target: Observed): boolean {
  const a = timeMs(o);
  const b = timeMs(target);
  if (a !== undefined && b !== undefined && a !== b) return a < b;
  return o.order < target.order;
}

/** Within `windowMs` of the target; entries without time (SDK log) are kept: nothing bounds them. */
export function inWindow(o: Observed, target: Observed, windowMs: number): boolean {
  const a = timeMs(o);
  const b = timeMs(target);
  return a === undefined || b === undefined || Math.abs(a - b) <= windowMs;
}

/** The same request seen twice ($logs duplicates, or a capture and a log line of one request): keep the richest. */
export function dedupe(list: readonly Observed[]): Observed[] {
  const byKey = new Map<string, Observed>();
  const out: Observed[] = [];
  for (const o of list) {
    if (!o.requestId) {
      out.push(o);
      continue;
    }
    const key = `${o.requestId.toLowerCase()}|${o.operation}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, o);
    else if (!seen.capture && o.capture) byKey.set(key, { ...o, time: o.time ?? seen.time });
  }
  return sortObserved([...out, ...byKey.values()]);
}

export function toWriter(o: Observed, role: WriterRole, target: Observed): Writer {
  const a = timeMs(o);
  const b = timeMs(target);
  const w: Writer = {
    time: o.time,
    operation: o.operation,
    requestId: o.requestId,
    clientRequestId: o.clientRequestId,
    caller: o.caller,
    identity: o.identity,
    userAgent: o.userAgent,
    status: o.status,
    errorCode: o.errorCode,
    etag: o.etag,
    lastModified: o.lastModified,
    role,
  };
  if (a !== undefined && b !== undefined) w.offsetSeconds = Math.round((a - b) / 100) / 10;
  const out = Object.fromEntries(Object.entries(w).filter(([, v]) => v !== undefined)) as unknown as Writer;
  // The report lists caller and etag for every writer: null when the sources do not say.
  return { ...out, caller: o.caller ?? null, etag: o.etag ?? null };
}

export function atFailureOf(history: readonly Observed[], target: Observed): AtFailure {
  const before = history.filter((o) => o !== target && isBefore(o, target) && showsState(o));
  const last = before.at(-1);
  if (!last)
    return { exists: true, basis: 'unknown: no earlier successful request on this blob in the sources searched' };
  const where =
    `${last.operation} ${last.requestId ?? ''} at ${last.time ?? `line ${last.source.line ?? '?'}`}`.replace(
      / +/g,
      ' ',
    );
  if (last.operation === 'DeleteBlob') return { exists: false, basis: `deleted by ${where}` };
  return {
    exists: true,
    etag: last.etag,
    lastModified: last.lastModified,
    basis: `the last success before the failure: ${where}`,
  };
}

/** The second a logged If-Match date names; Azure's ETags encode Last-Modified as .NET ticks (undocumented). */
function secondOf(value: string | undefined): number | undefined {
  if (!value) return undefined;
  // Every HTTP date starts with a day's name: a text that starts with a digit (an ISO Last-Modified, as a parsed log
  // holds it) is none, and goes straight to Date.parse.
  const first = value.charCodeAt(0);
  const http = first >= 48 && first <= 57 ? undefined : parseHttpDate(value);
  const ms = http?.ok ? http.value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

const TICKS_AT_EPOCH = 621355968000000000n;

/** Heuristic, undocumented: `0x8D…` read as hex is the .NET ticks of Last-Modified. Azurite ETags are not. */
export function etagSecond(etag: string | undefined): number | undefined {
  const hex = /^"?0x([0-9A-F]{15,16})"?$/i.exec(etag ?? '')?.[1];
  if (!hex) return undefined;
  const ticks = BigInt(`0x${hex}`);
  if (ticks < TICKS_AT_EPOCH) return undefined;
  return Number((ticks - TICKS_AT_EPOCH) / 10_000_000n);
}

/** Seconds read once per request (the key is the request: a workload summary asks again for every failure). */
const produced = new WeakMap<Observed, { lastModified?: string; etag?: string; second: number | undefined }>();

export function producedAt(o: Observed): number | undefined {
  const hit = produced.get(o);
  if (hit && hit.lastModified === o.lastModified && hit.etag === o.etag) return hit.second;
  const second = secondOf(o.lastModified) ?? etagSecond(o.etag);
  produced.set(o, { lastModified: o.lastModified, etag: o.etag, second });
  return second;
}
