/**
 * The job thread of `strata serve`: every job worker runs on a worker thread
 * of the serving process (job-thread-entry.ts) rather than on the thread that
 * answers S3 requests. Webhook deliveries, counters and the other jobs then
 * take a core of their own instead of time from the request loop (issue 3's
 * write-path cost), while one command is still a whole system. The thread
 * opens the store and Redis itself, as a `strata worker` process does.
 *
 * `workers` stand in for the thread's BullMQ workers where /_strata/metrics
 * observes jobs: each emits 'completed' and 'failed' as the thread reports them.
 */
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Config } from '../../shared/config.js';
import type { Logger } from '../../shared/logger.js';
import type { ObservableWorker } from '../metrics/pipeline-metrics.js';

/**
 * The thread's young generation (MB), otherwise sized as the main thread's
 * (up to 16 MB per semi-space). Jobs hold little at a time; a small one keeps
 * the thread's share of the process's RSS down (idle `strata serve`: 152 MB
 * with the default, 145 MB with 8; bench:s3 aims at < 200 MB under load).
 */
const YOUNG_GENERATION_MB = 8;

export interface JobThreadData {
  readonly config: Config;
}

export type JobThreadMessage =
  | { readonly type: 'ready'; readonly queues: readonly string[] }
  | { readonly type: 'failed'; readonly error: string }
  | {
      readonly type: 'job';
      readonly queue: string;
      readonly failed: boolean;
      readonly processedOn: number | undefined;
      readonly finishedOn: number | undefined;
    }
  | { readonly type: 'closed'; readonly errors: readonly string[] };

class QueueEvents extends EventEmitter implements ObservableWorker {
  constructor(readonly name: string) {
    super();
  }
}

export class JobThread {
  private readonly emitters = new Map<string, QueueEvents>();
  private readonly exited: Promise<number>;
  private closing: Promise<void> | undefined;

  private constructor(private readonly thread: Worker) {
    this.exited = new Promise((resolve) => thread.once('exit', resolve));
  }

  /** Starts the thread; resolves once its workers are connected to Redis. */
  static async start(config: Config, log: Logger): Promise<JobThread> {
    const data: JobThreadData = { config };
    const thread = new Worker(new URL('./job-thread-entry.js', import.meta.url), {
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    const jt = new JobThread(thread);
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number) =>
        reject(new Error(`the job thread exited (code ${code}) before it was ready`));
      thread.once('error', reject);
      thread.once('exit', onExit);
      thread.on('message', (m: JobThreadMessage) => {
        if (m.type === 'ready') {
          for (const q of m.queues) jt.emitters.set(q, new QueueEvents(q));
          thread.off('error', reject);
          thread.off('exit', onExit);
          resolve();
        } else if (m.type === 'failed') {
          reject(new Error(`the job thread could not start: ${m.error}`));
        } else if (m.type === 'job') {
          const job = { processedOn: m.processedOn, finishedOn: m.finishedOn };
          jt.emitters.get(m.queue)?.emit(m.failed ? 'failed' : 'completed', job);
        }
      });
    }).catch(async (e: unknown) => {
      await thread.terminate();
      throw e;
    });
    thread.on('error', (err) => log.error('the job thread failed', { err }));
    void jt.exited.then((code) => {
      if (jt.closing === undefined) log.error('the job thread exited; no jobs run in this process', { code });
    });
    return jt;
  }

  /** One per queue the thread serves, for the metrics. */
  get workers(): readonly ObservableWorker[] {
    return [...this.emitters.values()];
  }

  /** Stops taking jobs, lets the active ones finish (as `strata worker` does), closes the thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const closed = new Promise<readonly string[]>((resolve) => {
        this.thread.on('message', (m: JobThreadMessage) => {
          if (m.type === 'closed') resolve(m.errors);
        });
        void this.exited.then(() => resolve([]));
      });
      this.thread.postMessage({ type: 'close' });
      const errors = await closed;
      await this.exited;
      if (errors.length > 0) throw new Error(`errors while closing the job thread: ${errors.join('; ')}`);
    })();
    return this.closing;
  }
}
