/**
 * The /_strata/ endpoints of this service, for app.ts's internal handler map:
 * /_strata/metrics, /_strata/health and /_strata/health/live.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../shared/logger.js';
import type { MetricsConfig } from '../../shared/metrics-config.js';
import { healthEndpoint, livenessEndpoint, type HealthChecks } from './health-endpoint.js';
import { metricsEndpoint } from './metrics-endpoint.js';
import type { NodeMetrics } from './node-metrics.js';
import type { ScrapeAuthOptions } from './scrape-auth.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface ObservabilityOptions {
  readonly metrics: NodeMetrics;
  readonly metricsConfig: MetricsConfig;
  readonly findUser: ScrapeAuthOptions['findUser'];
  readonly health: HealthChecks;
  readonly log: Logger;
}

export function observabilityEndpoints(opts: ObservabilityOptions): Array<[string, Handler]> {
  const auth: ScrapeAuthOptions = { ...opts.metricsConfig, findUser: opts.findUser };
  return [
    ['/_strata/metrics', metricsEndpoint(opts.metrics, auth, opts.log)],
    ['/_strata/health', healthEndpoint(opts.health)],
    ['/_strata/health/live', livenessEndpoint(opts.health)],
  ];
}
