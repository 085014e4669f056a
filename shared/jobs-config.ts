/**
 * Settings of the job workers and the event relay, read by loadConfig (config.ts):
 *
 *   STRATA_JOB_LOCK_MS         how long a worker's lock on an active job lasts (default 30000).
 *                              A job whose worker died (killed, crashed) is handed to
 *                              another worker after about this long; stalled checks run
 *                              every half of it. Lower it only when jobs are short.
 *   STRATA_RELAY_COALESCE_MS   how long the outbox relay waits after a write before its
 *                              pass (default 5), so the events of a burst share one pass
 *                              and one analytics job; it adds at most this much to event
 *                              latency. 0 relays every commit at once.
 */
import { wholeNumber } from './env-values.js';

export interface JobsConfig {
  readonly lockDurationMs: number;
  readonly relayCoalesceMs: number;
}

export function loadJobsConfig(env: NodeJS.ProcessEnv): JobsConfig {
  return Object.freeze({
    lockDurationMs: wholeNumber(env, 'STRATA_JOB_LOCK_MS', 30_000, 200, 3_600_000),
    relayCoalesceMs: wholeNumber(env, 'STRATA_RELAY_COALESCE_MS', 5, 0, 1000),
  });
}
