/** The shape every condition rule shares: `(ctx) → verdict | undefined`. */
import type { CauseCode } from '../causes.js';
import type { OperationInfo } from '../operation.js';
import type { BlobState, CapturedRequest, HeaderMap } from '../types.js';
import type { Clause, OperationSupport, Scope } from './support.js';

export type { Clause, Scope } from './support.js';

/** One condition as a report shows it (`conditions[]`). `holds: null` = cannot be verified. */
export interface ConditionResult {
  header: string;
  supplied: string;
  current: string | null;
  holds: boolean | null;
  explanation: string;
}

/** What Azure answers when the condition fails. */
export interface Failure {
  status: number;
  errorCode: string;
  cause: CauseCode;
  /** Replaces the cause's generic title when this variant needs its own (e.g. InfiniteLeaseDurationRequired). */
  title?: string;
  /** Specific first steps, shown before the cause's generic fix. */
  fix?: string[];
}

type Family =
  'request' | 'existence' | 'lease' | 'lease-action' | 'etag' | 'date' | 'tags' | 'append' | 'sequence' | 'unsupported';

export interface RuleVerdict extends ConditionResult {
  family: Family;
  scope?: Scope;
  clause?: Clause;
  /** Present when `holds === false`. */
  failure?: Failure;
  /** A failure that ends evaluation (request rejected, resource missing). */
  final?: boolean;
  notes?: string[];
}

export interface RuleContext {
  req: CapturedRequest;
  /** Lower-case names. */
  headers: HeaderMap;
  state: BlobState;
  operation: OperationInfo;
  support: OperationSupport;
}

export interface ConditionRule {
  id: string;
  /** The document that says Azure evaluates this, and how. */
  doc: string;
  check(ctx: RuleContext): RuleVerdict | undefined;
}

export const ERROR_CONDITION_NOT_MET = 'ConditionNotMet';
