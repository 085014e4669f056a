/**
 * Node.js process metrics (CPU, memory, event-loop lag, GC, handles) from
 * prom-client's collectDefaultMetrics, in one registry per process.
 *
 * Why per process and not per node: these figures describe the process, so
 * several nodes in one process (the in-process e2e tests) would all report the
 * same numbers; and each collectDefaultMetrics call starts an event-loop
 * monitor and a GC observer that are never stopped, so calling it once per
 * node would leak them. The global default registry is never used, so nothing
 * else in the process (a library, a test) can clash with Strata's metrics.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/** Created on first use (not at import): importing this module starts nothing. */
export function processMetricsRegistry(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
