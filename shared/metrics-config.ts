/**
 * Who may scrape /_strata/metrics, read by loadConfig (config.ts) from the
 * environment it is given:
 *
 *   STRATA_METRICS_AUTH   "private" (default): the root user's keys as HTTP Basic
 *                         auth, or the bearer token below; "public": anyone who
 *                         can reach the port (like MINIO_PROMETHEUS_AUTH_TYPE=public)
 *   STRATA_METRICS_TOKEN  a bearer token a scraper may send instead of Basic auth
 *                         (at least 16 characters); unset: Basic auth only
 *
 * Environment only, no flag: a token on the command line shows in `ps`.
 */
// config.ts imports this module too; ConfigError is only used once both are loaded.
import { ConfigError } from './config.js';

export interface MetricsConfig {
  readonly public: boolean;
  readonly token: string | undefined;
}

export function loadMetricsConfig(env: NodeJS.ProcessEnv): MetricsConfig {
  const auth = env['STRATA_METRICS_AUTH'] || 'private';
  if (auth !== 'private' && auth !== 'public') {
    throw new ConfigError(`STRATA_METRICS_AUTH must be "private" or "public", got "${auth}"`);
  }
  const token = env['STRATA_METRICS_TOKEN'] || undefined;
  if (token !== undefined && !/^[\x21-\x7e]{16,512}$/.test(token)) {
    throw new ConfigError('STRATA_METRICS_TOKEN must be 16-512 printable characters without spaces');
  }
  return Object.freeze({ public: auth === 'public', token });
}
