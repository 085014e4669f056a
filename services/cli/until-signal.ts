/**
 * Waits for SIGINT or SIGTERM, then runs the process's ordered shutdown and
 * resolves with the exit code (0, or 1 when a step failed). A second signal
 * exits at once with 130, for a shutdown that hangs on a stalled client or job.
 */
import type { Logger } from '../../shared/logger.js';

export function untilSignal(log: Logger, what: string, shutdown: () => Promise<unknown[]>): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn('second signal, exiting now', { signal });
        process.exit(130);
      }
      stopping = true;
      log.info(what, { signal });
      void shutdown().then(
        (errs) => {
          for (const err of errs) log.error('error while shutting down', { err });
          resolve(errs.length > 0 ? 1 : 0);
        },
        (err: unknown) => {
          log.error('error while shutting down', { err });
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
