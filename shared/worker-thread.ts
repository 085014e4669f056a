/**
 * Starts Strata's worker threads (the job thread, hash threads, S3 Select
 * scan threads) with a young generation of the size each asks for.
 *
 * `--max-semi-space-size`, which `npm start` passes for the request thread
 * (deploy/README.md, "Memory"), is a V8 flag and so holds for the whole
 * process: a thread started while it is set takes the same semi-spaces and
 * ignores `resourceLimits.maxYoungGenerationSizeMb`. Under load the job
 * thread's young generation then grew to 12–15 MB where its limit asks for
 * about 3. V8 reads the flag when it creates an isolate, so clearing it
 * before a thread starts changes nothing for the request thread's heap,
 * which keeps the size it started with.
 */
import v8 from 'node:v8';
import { Worker, type WorkerOptions } from 'node:worker_threads';

let cleared = false;

export interface ThreadOptions extends WorkerOptions {
  /** The thread's young generation (both semi-spaces), in MB. */
  readonly youngGenerationMb: number;
}

export function startThread(url: URL, opts: ThreadOptions): Worker {
  if (!cleared) {
    // 0 is V8's "not set": each new isolate takes its size from its own limits.
    v8.setFlagsFromString('--max-semi-space-size=0');
    cleared = true;
  }
  const { youngGenerationMb, ...options } = opts;
  return new Worker(url, {
    ...options,
    resourceLimits: { ...options.resourceLimits, maxYoungGenerationSizeMb: youngGenerationMb },
  });
}
