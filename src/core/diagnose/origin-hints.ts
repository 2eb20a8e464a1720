/** What would decide an origin the sources leave open: the capture or the log to turn on. */

export const CAPTURE_HINT =
  "capture the request's exact If-Match: an SDK log at AZURE_LOG_LEVEL=info, cnm's captureFailedRequests policy, or a HAR";

export const WRITE_LOGGING =
  'write logging for the account (a diagnostic setting with StorageWrite, or $logs with write logging) for the ' +
  'window, or a wider --window';
