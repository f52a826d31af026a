/**
 * The worker process's memory settings (issue 9: a worker fits in 1 GiB at 10,000 users).
 *
 * Left to itself, V8 sizes its old space from the machine's memory (a 4 GiB limit on a 24 GiB
 * host) and collects lazily far below that, and glibc gives the worker's many threads (the
 * SDK's core, libuv) an arena each. Both make the resident set follow the host's size and
 * the run's length rather than what the worker holds: at 1,000 users a 512 MiB old space took
 * the worker from 924 MiB to 616 MiB, and 2 arenas took 200 users from 713 to 640 MiB.
 *
 * Both must be set before node starts, so `bin/amplify-migrate worker` applies these numbers
 * (test/unit/worker/memory.test.ts holds the script to them) and the bench forks its worker
 * with them, so that it measures the worker as it is deployed.
 */

/** V8's old-space limit for a worker (--max-old-space-size), MiB. */
export const WORKER_HEAP_MIB = 512;

/** glibc malloc arenas for a worker (MALLOC_ARENA_MAX). */
export const WORKER_MALLOC_ARENAS = 2;
