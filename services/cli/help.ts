/**
 * The flags and usage text of `strata` and its commands. Every flag of `serve`
 * overrides the STRATA_* variable next to it (shared/config.ts reads both).
 * Kept apart from the commands so that help never loads the store.
 */
import { QUEUES } from '../../workers/registry.js';
import type { FlagSpec } from './args.js';

const QUEUE_NAMES = QUEUES.join(', ');

export const serveFlags: FlagSpec = {
  strings: [
    'port',
    'host',
    'data-dir',
    'access-key',
    'secret-key',
    'region',
    'domain',
    'max-object-size',
    'log-level',
    'redis-url',
    'redis-prefix',
  ],
  booleans: ['help', 'no-workers'],
};

export const workerFlags: FlagSpec = {
  strings: ['queues', 'data-dir', 'region', 'log-level', 'redis-url', 'redis-prefix'],
  booleans: ['help'],
};

export const userFlags: FlagSpec = {
  strings: ['data-dir', 'access-key', 'secret-key'],
  booleans: ['help'],
};

const COMMANDS = `Commands:
  serve                            Start Strata: S3 API and /_strata/ endpoints on one port,
                                   the event relay and every job worker (--no-workers: none)
  worker [--queues Q1,Q2]          Run job workers only (all queues, or the listed ones)
  user add NAME [--access-key K --secret-key S]
                                   Create a user (keys are generated when not given)
  user list                        List users: name, access key, root?, created
  user remove NAME|ACCESS_KEY      Delete a user
  help [COMMAND]                   Show this help, or the help of one command
  version                          Print the version`;

const CONFIG = `Configuration (a flag overrides its environment variable):
  Flag                   Variable                 Default      Meaning
  --port N               STRATA_PORT              9000         TCP port (0 = any free port)
  --host H               STRATA_HOST              0.0.0.0      Interface to listen on
  --data-dir D           STRATA_DATA_DIR          ./data       Metadata database and object bodies
  --access-key K         STRATA_ACCESS_KEY        generated    Root user's access key (set with the secret key)
  --secret-key S         STRATA_SECRET_KEY        generated    Root user's secret key (at least 8 characters);
                                                               generated keys are saved in
                                                               <data-dir>/root-credentials.json and reused
  --region R             STRATA_REGION            us-east-1    Region of buckets and of SigV4 scopes
  --domain D             STRATA_DOMAIN            localhost    Comma-separated domains for virtual-host
                                                               style (bucket.localhost:9000)
  --max-object-size N    STRATA_MAX_OBJECT_SIZE   5368709120   Largest single PUT or part, in bytes (5 GiB)
  --log-level L          STRATA_LOG_LEVEL         info         error, warn, info or debug (logs go to stderr)
  --redis-url U          STRATA_REDIS_URL         redis://127.0.0.1:6379
                                                               Redis of the job bus and live events
  --redis-prefix P       STRATA_REDIS_PREFIX      strata       Prefix of every Redis key and channel
                         STRATA_JOB_LOCK_MS       30000        How long before a dead worker's job is retried
                         STRATA_SELECT_THREADS    0 (cores)    Threads scanning large CSV / JSON LINES selects;
                                                               1 scans on the request's thread only
                         STRATA_METRICS_AUTH      private      Who may read /_strata/metrics: "private" (the root
                                                               user's keys as Basic auth, or the token) or "public"
                         STRATA_METRICS_TOKEN     unset        Bearer token a scraper may send to /_strata/metrics`;

const MAIN = `strata — an S3-compatible object store

Usage: strata <command> [flags]

${COMMANDS}

${CONFIG}

Run "strata <command> --help" for the flags of one command.`;

const SERVE = `Usage: strata serve [--no-workers] [flags]

Starts the S3 API (with /_strata/health) on one port and prints the endpoint,
the root user's keys and ready-to-paste AWS CLI lines. SIGINT or SIGTERM stops
it gracefully; a second signal exits at once.

It also relays object events from the outbox to the job bus and runs every
job worker in-process (queues: ${QUEUE_NAMES}); with --no-workers it relays
only, and "strata worker" processes do the jobs. The bus needs Redis at
STRATA_REDIS_URL: when none answers there and redis-server is installed, serve
starts one (files under <data-dir>/redis) and stops it on exit.

  --no-workers           relay events but run no job workers

${CONFIG}`;

const WORKER = `Usage: strata worker [--queues Q1,Q2] [flags]

Runs job workers only, for scale-out next to "strata serve --no-workers" (which
still relays events to the queues). Several workers may run at once, on this
machine or others sharing the Redis and the metadata. Prints one "ready" line;
SIGINT or SIGTERM stops taking jobs and waits for the active ones.

  --queues Q1,Q2   only these queues (default: all). Queues: ${QUEUE_NAMES}
  --data-dir D, --region R, --log-level L, --redis-url U, --redis-prefix P
                   as for "strata serve" (see "strata --help")`;

const USER = `Usage:
  strata user add NAME [--access-key K --secret-key S] [--data-dir D]
  strata user list [--data-dir D]
  strata user remove NAME|ACCESS_KEY [--data-dir D]

Manages the users of the store in the data dir (STRATA_DATA_DIR, default ./data).
These commands work while "strata serve" runs on the same data dir.

  --access-key K   access key of the new user (3-128 letters, digits, +/=._-); generated when omitted
  --secret-key S   secret key of the new user (at least 8 characters); generated when omitted
  --data-dir D     data dir of the store (STRATA_DATA_DIR, default ./data)`;

/** The help of a command ("serve", "user", "user add" …) or the main help. */
export function helpText(command?: string): string {
  const top = command?.split(' ')[0];
  if (top === 'serve') return SERVE;
  if (top === 'user') return USER;
  if (top === 'worker') return WORKER;
  return MAIN;
}
