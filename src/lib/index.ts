/**
 * cnm as a library: a read-refresh-write helper, a pipeline policy that captures failed conditional requests,
 * and the pure condition engine that explains them.
 */
export {
  readRefreshWrite,
  type ReadRefreshWriteOptions,
  type ReadRefreshWriteResult,
  type Update,
  type CurrentProperties,
  type BackoffOptions,
} from './read-refresh-write.js';
export { ReadRefreshWriteError } from './errors.js';
export { captureFailedRequests, isFailedConditional, type CaptureOptions } from './capture-failed-requests.js';
export { capturingPipeline } from './capturing-pipeline.js';
export { evaluateConditions, type Evaluation, type ConditionResult } from '../core/evaluate.js';
export { explainCapture } from '../core/explain-capture.js';
export { causeInfo, CAUSE_CODES, type CauseCode, type CauseInfo, type CauseReport } from '../core/causes.js';
export { classifyOperation, type OperationInfo } from '../core/operation.js';
export { redactCapture } from '../core/redact.js';
export type {
  BlobState,
  Capture,
  CapturedRequest,
  CapturedResponse,
  HeaderMap,
  LeaseInfo,
  LeaseState,
  LeaseStatus,
  LeaseDuration,
  BlobType,
} from '../core/types.js';
