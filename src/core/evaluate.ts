/**
 * The condition engine: what Azure answers to a request, given the blob's state, and why. Pure.
 */
import { causeInfo, causeReport, type CauseReport } from './causes.js';
import { combine } from './combine.js';
import { CONDITION_RULES } from './conditions/registry.js';
import type { ConditionResult, RuleContext, RuleVerdict } from './conditions/rule.js';
import { operationSupport } from './conditions/support.js';
import { classifyOperation, successStatus, type OperationInfo } from './operation.js';
import type { BlobState, CapturedRequest } from './types.js';

export type { ConditionResult } from './conditions/rule.js';

export interface Evaluation {
  operation: OperationInfo;
  conditions: ConditionResult[];
  /** What Azure answers now; when `undecided`, what it answers if the unverifiable conditions hold. */
  expected: { status: number; errorCode?: string };
  /**
   * `undecided`: nothing fails, but a condition could not be checked (tags not readable, no ETag, a weak ETag…):
   * Azure may answer either way, so neither "would succeed" nor "would fail" is honest.
   */
  verdict: 'would-succeed' | 'would-fail' | 'undecided';
  /** When `undecided`: each condition that could not be checked, and why (`header: reason`). */
  undecided?: string[];
  cause?: CauseReport;
  fix: string[];
  notes: string[];
  /** What the service actually answered, when evaluating a capture (explainCapture). */
  recorded?: { status: number; errorCode?: string };
}

export function buildContext(req: CapturedRequest, state: BlobState): RuleContext {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  const operation = classifyOperation(req);
  return { req, headers, state, operation, support: operationSupport(operation) };
}

function runRules(ctx: RuleContext): RuleVerdict[] {
  const verdicts: RuleVerdict[] = [];
  for (const rule of CONDITION_RULES) {
    const v = rule.check(ctx);
    if (!v) continue;
    verdicts.push(v);
    if (v.final && v.holds === false) break;
  }
  return verdicts;
}

function toResult(v: RuleVerdict, shadowed: boolean): ConditionResult {
  const partner = v.clause === 'ifUnmodifiedSince' ? 'If-Match' : 'If-None-Match';
  const explanation = shadowed
    ? `${v.explanation} — not deciding: with ${partner} present, Azure evaluates only ${partner}`
    : v.explanation;
  return { header: v.header, supplied: v.supplied, current: v.current, holds: v.holds, explanation };
}

function causeOf(v: RuleVerdict): CauseReport {
  const f = v.failure!;
  const generic = causeInfo[f.cause].explanation;
  return causeReport(f.cause, {
    errorCode: f.errorCode,
    ...(f.title ? { title: f.title } : {}),
    explanation: `${v.header}: ${v.explanation}. ${generic}`,
    header: v.header,
  });
}

/** Conditions that could not be checked and that would decide the answer (a shadowed one decides nothing). */
function unverifiedOf(verdicts: RuleVerdict[], notDeciding: ReadonlySet<RuleVerdict>): RuleVerdict[] {
  return verdicts.filter((v) => v.holds === null && v.family !== 'unsupported' && !notDeciding.has(v));
}

function notesOf(verdicts: RuleVerdict[], unverified: RuleVerdict[], failing: boolean): string[] {
  const notes = verdicts.flatMap((v) => v.notes ?? []);
  if (failing && unverified.some((v) => v.family === 'lease')) {
    notes.push(
      "x-ms-lease-id could not be verified: if it is not the active lease's id, Azure answers 412 " +
        'LeaseIdMismatch first (the lease is checked before the ETag)',
    );
  }
  return [...new Set(notes)];
}

/** Evaluates a request's conditions against a blob's state as Azure would. */
export function evaluateConditions(req: CapturedRequest, state: BlobState): Evaluation {
  const ctx = buildContext(req, state);
  if (ctx.operation.name === 'Unknown') return unknownOperation(ctx);
  const verdicts = runRules(ctx);
  const { decisive, notDeciding } = combine(ctx, verdicts);
  const conditions = verdicts.map((v) => toResult(v, notDeciding.has(v)));
  const unverified = unverifiedOf(verdicts, notDeciding);
  const notes = notesOf(verdicts, unverified, decisive !== undefined);
  if (!decisive) {
    const status = successStatus(ctx.operation);
    if (unverified.length === 0) {
      return { operation: ctx.operation, conditions, expected: { status }, verdict: 'would-succeed', fix: [], notes };
    }
    return {
      operation: ctx.operation,
      conditions,
      expected: { status },
      verdict: 'undecided',
      undecided: unverified.map((v) => `${v.header}: ${v.explanation}`),
      fix: [],
      notes: [
        ...notes,
        `undecided: every condition cnm could check holds (Azure would answer ${status}), but ` +
          `${unverified.map((v) => v.header).join(', ')} could not be checked`,
      ],
    };
  }
  const f = decisive.failure!;
  return {
    operation: ctx.operation,
    conditions,
    expected: { status: f.status, errorCode: f.errorCode },
    verdict: 'would-fail',
    cause: causeOf(decisive),
    fix: [...(f.fix ?? []), ...causeInfo[f.cause].fix],
    notes,
  };
}

/**
 * An operation cnm cannot name (a `comp` it does not know, a method the service does not take there): which
 * conditions it takes, and whether it needs the blob, are unknown, so none is judged — Azure's rules differ by
 * operation, and one applied to the wrong one reads a failure that is not there.
 */
function unknownOperation(ctx: RuleContext): Evaluation {
  const { req } = ctx;
  const comp = /[?&]comp=([^&]*)/i.exec(req.url)?.[1];
  const what = `${req.method.toUpperCase()}${comp ? ` ?comp=${comp}` : ''}`;
  const conditional = Object.keys(ctx.headers).filter((h) =>
    /^(?:if-|x-ms-(?:if-|lease-id|blob-condition|source-if-|blob-if-))/.test(h),
  );
  return {
    operation: ctx.operation,
    conditions: [],
    expected: { status: successStatus(ctx.operation) },
    verdict: 'undecided',
    undecided: [`operation: cnm does not know which conditions ${what} takes on a ${ctx.operation.target}`],
    fix: [],
    notes: [
      `undecided: cnm does not know the operation ${what}, so it judges none of its conditions` +
        (conditional.length ? ` (${conditional.join(', ')})` : ''),
    ],
  };
}
