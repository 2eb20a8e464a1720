/** The public API of cnm's pure condition engine. */
export { evaluateConditions, buildContext, runRules, type Evaluation, type ConditionResult } from './evaluate.js';
export { explainCapture } from './explain-capture.js';
export { causeFromResponse, isRangedRead } from './cause-from-response.js';
export { refreshConditions, type RefreshChange, type RefreshResult } from './refresh.js';
export { CAUSE_CODES, causeInfo, causeReport, type CauseCode, type CauseInfo, type CauseReport } from './causes.js';
export { classifyOperation, successStatus, type OperationInfo, type OperationKind } from './operation.js';
export { etagMatches, isWeakEtag, normalizeEtag, parseEtag, parseEtagList, quoteEtag, sameEtag, type EtagToken } from './etag.js';
export { formatHttpDate, parseHttpDate, toEpochSeconds, type HttpDateFormat, type HttpDateResult } from './http-date.js';
export {
  evaluateIfTags, failingComparisons, parseIfTags, printIfTags,
  type TagExpr, type TagIssue, type TagOperator, type TagParseResult,
} from './tag-expression.js';
export { CONDITION_RULES } from './conditions/registry.js';
export { operationSupport, headerFor, type OperationSupport } from './conditions/support.js';
export { sameLeaseId } from './conditions/lease-id.js';
export type { ConditionRule, RuleContext, RuleVerdict, Failure, Clause, Scope } from './conditions/rule.js';
export { AZURITE_API_VERSION, azuriteExpectation, type AzuriteExpectation, type Expected } from './azurite-differences.js';
