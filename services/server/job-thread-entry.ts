/**
 * Entry point of the job thread of `strata serve` (job-thread.ts): on a
 * worker thread of the serving process, what `strata worker` runs in a
 * process of its own — the store of the data dir opened without owning it
 * (the serving thread opened it first and ran its migrations and recovery)
 * and a worker for every job type. Messages (JobThreadMessage) tell the
 * serving thread when the workers are ready, when a job finishes (for
 * /_strata/metrics) and when closing is done; a 'close' message drains.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { createStore } from '../store/index.js';
import { createEventPipeline, type EventPipeline } from './event-pipeline.js';
import type { JobThreadData, JobThreadMessage } from './job-thread.js';

const port = parentPort;
if (port === null) throw new Error('job-thread-entry runs as a worker thread');
const { config } = workerData as JobThreadData;
const post = (m: JobThreadMessage): void => port.postMessage(m);
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function start(c: Config): Promise<{ close: () => Promise<string[]> }> {
  const log = createLogger(c.logLevel);
  const store = createStore({ dataDir: c.dataDir, log, region: c.region, ownsDataDir: false });
  let pipeline: EventPipeline | undefined;
  const close = async (): Promise<string[]> => {
    const errs: string[] = [];
    await pipeline?.close().catch((e: unknown) => errs.push(message(e)));
    await store.close().catch((e: unknown) => errs.push(message(e)));
    return errs;
  };
  try {
    await store.ready();
    pipeline = createEventPipeline(c, log, store, { relay: false, workers: true });
    await pipeline.ready();
  } catch (e) {
    await close();
    throw e;
  }
  for (const w of pipeline.workers?.list() ?? []) {
    const queue = w.name;
    w.on('completed', (job) =>
      post({ type: 'job', queue, failed: false, processedOn: job.processedOn, finishedOn: job.finishedOn }),
    );
    w.on('failed', (job) =>
      post({ type: 'job', queue, failed: true, processedOn: job?.processedOn, finishedOn: job?.finishedOn }),
    );
  }
  post({ type: 'ready', queues: pipeline.workers?.queues() ?? [] });
  return { close };
}

start(config).then(
  ({ close }) => {
    port.on('message', (m: { type: 'close' }) => {
      if (m.type !== 'close') return;
      void close().then((errors) => {
        post({ type: 'closed', errors });
        port.close();
      });
    });
  },
  (e: unknown) => {
    post({ type: 'failed', error: message(e) });
    port.close();
  },
);
