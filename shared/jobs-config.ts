/**
 * Settings of the job workers, read by loadConfig (config.ts):
 *
 *   STRATA_JOB_LOCK_MS   how long a worker's lock on an active job lasts (default 30000).
 *                        A job whose worker died (killed, crashed) is handed to
 *                        another worker after about this long; stalled checks run
 *                        every half of it. Lower it only when jobs are short.
 */
// config.ts imports this module too; ConfigError is only used once both are loaded.
import { ConfigError } from './config.js';

export interface JobsConfig {
  readonly lockDurationMs: number;
}

export function loadJobsConfig(env: NodeJS.ProcessEnv): JobsConfig {
  const raw = env['STRATA_JOB_LOCK_MS'];
  let lockDurationMs = 30_000;
  if (raw !== undefined && raw !== '') {
    if (!/^\d+$/.test(raw)) throw new ConfigError(`STRATA_JOB_LOCK_MS must be a whole number, got "${raw}"`);
    lockDurationMs = Number(raw);
    if (lockDurationMs < 200 || lockDurationMs > 3_600_000) {
      throw new ConfigError(`STRATA_JOB_LOCK_MS must be between 200 and 3600000, got ${lockDurationMs}`);
    }
  }
  return Object.freeze({ lockDurationMs });
}
