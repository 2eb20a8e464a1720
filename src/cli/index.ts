import { main } from './main.js';

/**
 * Resolves once what was written to `stream` has left the process, or cannot (its reader is gone: EPIPE, quiet).
 * A pipe takes 64 KiB at a time and Node queues the rest of a larger write, asynchronously (nodejs.org/api/process.html
 * "A note on process I/O"): exiting before it drains cut a report short, with exit 0 (`cnm stats --json | tee`).
 */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    stream.on('error', () => resolve());
    stream.write('', () => resolve());
  });
}

await main();
await Promise.all([drained(process.stdout), drained(process.stderr)]);
// The report and every error line are out. What may still hold the process is work nobody waits for any more: a
// DNS lookup that never answers ties up a libuv thread for ~10 s, an abandoned socket keeps its timer. The exit
// code is decided: leave now.
process.exit();
