/**
 * `--timeout` bounds each request's whole exchange: every try, the delays between tries and, for a streamed
 * download, the body up to its last byte. The SDK offers neither: `tryTimeoutInMs` only sets the server-side
 * `timeout=` query parameter (storage-common StorageRetryPolicyV2), and the HTTP client's `request.timeout`
 * stops counting once the headers arrive (a body trickled at 1 KB/s is never cut) and is not cleared when the
 * connection fails, so a reset request kept the process alive until it fired (@typespec/ts-http-runtime
 * nodeHttpClient.js, `timeoutId` is cleared only on success). One timer per request, cleared on every outcome.
 */
import type { RequestPolicy, RequestPolicyFactory, RequestPolicyOptions, WebResource } from '@azure/storage-blob';

type Signal = NonNullable<WebResource['abortSignal']>;

/** The timer's signal, also aborted when the caller's own signal is. */
function linked(timer: AbortController, outer: Signal | undefined): void {
  if (!outer) return;
  if (outer.aborted) timer.abort();
  else outer.addEventListener('abort', () => timer.abort());
}

/** Clears the timer when a streamed body has been read to the end, failed or was dropped. */
function clearAfterStream(stream: NodeJS.ReadableStream, clear: () => void): void {
  const s = stream as NodeJS.ReadableStream & { once(e: string, f: () => void): unknown };
  for (const event of ['end', 'error', 'close']) s.once(event, clear);
}

export function timeoutPolicy(ms: number): RequestPolicyFactory {
  return {
    create(next: RequestPolicy, _options: RequestPolicyOptions): RequestPolicy {
      return {
        async sendRequest(req: WebResource) {
          const timer = new AbortController();
          linked(timer, req.abortSignal);
          let timedOut = false;
          const id = setTimeout(() => {
            timedOut = true;
            timer.abort();
          }, ms);
          const clear = () => clearTimeout(id);
          req.abortSignal = timer.signal;
          try {
            const res = await next.sendRequest(req);
            if (res.readableStreamBody) clearAfterStream(res.readableStreamBody, clear);
            else clear();
            return res;
          } catch (err) {
            clear();
            // Cut by our own timer, whatever the layer below made of it ("aborted" while reading the body too).
            if (timedOut)
              throw Object.assign(new Error(`no answer within ${ms} ms`), {
                name: 'AbortError',
                code: 'ETIMEDOUT',
                cause: err,
              });
            throw err;
          }
        },
      };
    },
  };
}
