import { main } from './main.js';

await main();
// The report and every error line are written (synchronously, to files, pipes and terminals on Linux). What
// may still hold the process is work nobody waits for any more: a DNS lookup that never answers ties up a libuv
// thread for ~10 s, an abandoned socket keeps its timer. The exit code is decided: leave now.
process.exit();
