/** Observability of a node: Prometheus metrics and the health endpoints. */
export { createNodeMetrics, type NodeMetrics } from './node-metrics.js';
export { metricsEndpoint } from './metrics-endpoint.js';
export {
  healthEndpoint,
  livenessEndpoint,
  checkHealth,
  type HealthChecks,
  type HealthReport,
} from './health-endpoint.js';
export type { ScrapeAuthOptions } from './scrape-auth.js';
export type {
  CountableQueue,
  ObservableWorker,
  OutboxGaugeSource,
  PipelineSources,
} from './pipeline-metrics.js';
export { observabilityEndpoints, type ObservabilityOptions } from './endpoints.js';
