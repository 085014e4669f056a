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
import type { Worker } from 'node:worker_threads';
import type { Config } from '../../shared/config.js';
import type { Logger } from '../../shared/logger.js';
import { startThread } from '../../shared/worker-thread.js';
import type { ObservableWorker } from '../metrics/pipeline-metrics.js';

/**
 * The thread's young generation (MB). Jobs hold little at a time; a small one
 * keeps the thread's share of the process's RSS down (bench:s3 aims at
 * < 200 MB under load). Under bench:s3's 1 MiB and 64 MiB cells at
 * concurrency 16 its heap peaked at 30.5 MB with 8, 25.9 MB with 4 or 2.
 * Until shared/worker-thread.ts, npm start's `--max-semi-space-size=8`
 * overrode this: 33–35 MB.
 */
const YOUNG_GENERATION_MB = 4;

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

/** Longest wait before a job thread that died is started again. */
const MAX_RESTART_DELAY_MS = 30_000;

export class JobThread {
  private readonly emitters = new Map<string, QueueEvents>();
  private thread!: Worker;
  private exited!: Promise<number>;
  private closing: Promise<void> | undefined;
  /** Restarts in a row that have not reached 'ready' (for the backoff). */
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  /** Starts the thread; resolves once its workers are connected to Redis. */
  static async start(config: Config, log: Logger): Promise<JobThread> {
    const jt = new JobThread(config, log);
    await jt.launch();
    return jt;
  }

  /** One per queue the thread serves, for the metrics. */
  get workers(): readonly ObservableWorker[] {
    return [...this.emitters.values()];
  }

  /** Ends the thread at once, as a crash would (tests: it is started again). */
  async crashForTest(): Promise<void> {
    await this.thread.terminate();
  }

  /** Starts a thread and waits for its workers; a thread that dies later is started again. */
  private async launch(): Promise<void> {
    const data: JobThreadData = { config: this.config };
    const thread = startThread(new URL('./job-thread-entry.js', import.meta.url), {
      workerData: data,
      youngGenerationMb: YOUNG_GENERATION_MB,
    });
    this.thread = thread;
    this.exited = new Promise((resolve) => thread.once('exit', resolve));
    thread.on('message', (m: JobThreadMessage) => {
      if (m.type !== 'job') return;
      const job = { processedOn: m.processedOn, finishedOn: m.finishedOn };
      this.emitters.get(m.queue)?.emit(m.failed ? 'failed' : 'completed', job);
    });
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number) =>
        reject(new Error(`the job thread exited (code ${code}) before it was ready`));
      thread.once('error', reject);
      thread.once('exit', onExit);
      thread.on('message', (m: JobThreadMessage) => {
        if (m.type === 'ready') {
          for (const q of m.queues) if (!this.emitters.has(q)) this.emitters.set(q, new QueueEvents(q));
          thread.off('error', reject);
          thread.off('exit', onExit);
          resolve();
        } else if (m.type === 'failed') {
          reject(new Error(`the job thread could not start: ${m.error}`));
        }
      });
    }).catch(async (e: unknown) => {
      await thread.terminate();
      throw e;
    });
    this.failures = 0;
    thread.on('error', (err) => this.log.error('the job thread failed', { err }));
    void this.exited.then((code) => {
      if (this.closing === undefined) this.restartAfterCrash(code);
    });
  }

  private restartAfterCrash(code: number): void {
    const delay = Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** this.failures);
    this.log.error('the job thread exited; starting it again', { code, inMs: delay });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.closing !== undefined) return;
      this.launch().catch((err: unknown) => {
        this.failures++;
        if (this.closing === undefined) this.restartAfterCrash(-1);
        this.log.error('the job thread did not start again', { err });
      });
    }, delay);
    this.restartTimer.unref();
  }

  /** Stops taking jobs, lets the active ones finish (as `strata worker` does), closes the thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.restartTimer);
      const thread = this.thread;
      const exited = this.exited;
      const closed = new Promise<readonly string[]>((resolve) => {
        thread.on('message', (m: JobThreadMessage) => {
          if (m.type === 'closed') resolve(m.errors);
        });
        void exited.then(() => resolve([]));
      });
      thread.postMessage({ type: 'close' });
      const errors = await closed;
      await exited;
      if (errors.length > 0) throw new Error(`errors while closing the job thread: ${errors.join('; ')}`);
    })();
    return this.closing;
  }
}
