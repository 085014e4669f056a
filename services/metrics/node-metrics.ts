/**
 * One node's metrics: its own prom-client Registry (never the global default
 * one, so several nodes in one process — the in-process e2e tests — keep
 * separate counts) plus the process-wide Node.js metrics.
 */
import { Registry } from 'prom-client';
import { PipelineMetrics, type PipelineSources } from './pipeline-metrics.js';
import { processMetricsRegistry } from './process-metrics.js';
import { S3RequestMetrics } from './s3-request-metrics.js';
import { SelectMetrics } from './select-metrics.js';

export interface NodeMetrics {
  readonly registry: Registry;
  readonly s3: S3RequestMetrics;
  readonly pipeline: PipelineMetrics;
  readonly select: SelectMetrics;
  /** Content type of render()'s text: Prometheus text format 0.0.4. */
  readonly contentType: string;
  /** Collects every metric (outbox and queue gauges are read now) as Prometheus text. */
  render(): Promise<string>;
}

export function createNodeMetrics(sources: PipelineSources = {}): NodeMetrics {
  const registry = new Registry();
  const s3 = new S3RequestMetrics(registry);
  const pipeline = new PipelineMetrics(registry, sources);
  const select = new SelectMetrics(registry);
  const processRegistry = processMetricsRegistry();
  return {
    registry,
    s3,
    pipeline,
    select,
    contentType: registry.contentType,
    async render() {
      const [own, proc] = await Promise.all([registry.metrics(), processRegistry.metrics()]);
      return own + proc;
    },
  };
}
