/**
 * s3:ObjectAccessed:Get / :Head events. A read must never wait for a
 * database write, so accesses are buffered in memory and appended to the
 * outbox in one transaction every FLUSH_MS or FLUSH_COUNT accesses, riding
 * the group commit of concurrent writes. What is still buffered when the
 * process crashes is lost (at most FLUSH_MS of access events): access events
 * feed statistics, where that loss is acceptable; changes are never buffered.
 */
import type { RequestOrigin } from '../../../shared/events.js';
import { currentOrigin } from '../../../shared/request-context.js';
import type { StoreContext } from '../store-context.js';
import type { AccessKind, ObjectVersion } from '../types.js';
import { appendEvent } from './outbox-append.js';

export const FLUSH_MS = 500;
export const FLUSH_COUNT = 500;
/** Beyond this many buffered accesses (the database is stuck), new ones are dropped. */
const MAX_BUFFERED = 50_000;

interface Access {
  readonly version: ObjectVersion;
  readonly kind: AccessKind;
  readonly origin: RequestOrigin;
  readonly time: Date;
}

export class AccessLog {
  private buffer: Access[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private dropped = 0;

  constructor(private readonly ctx: StoreContext) {}

  record(version: ObjectVersion, kind: AccessKind): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      this.dropped++;
      return;
    }
    this.buffer.push({ version, kind, origin: currentOrigin(), time: new Date() });
    if (this.buffer.length >= FLUSH_COUNT) this.flushSoon(0);
    else this.flushSoon(FLUSH_MS);
  }

  private flushSoon(delayMs: number): void {
    if (this.timer !== undefined && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delayMs);
    this.timer.unref();
  }

  /** Writes what is buffered (resolves when it is committed). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  private async write(batch: readonly Access[]): Promise<void> {
    const { ctx } = this;
    try {
      await ctx.commitSoon(() => {
        for (const a of batch) {
          // The bucket may be gone since the read; its accesses go with it.
          if (!ctx.meta.buckets.get(a.version.bucket)) continue;
          appendEvent(
            ctx,
            a.kind === 'Get' ? 's3:ObjectAccessed:Get' : 's3:ObjectAccessed:Head',
            a.version.bucket,
            {
              key: a.version.key,
              versionId: a.version.versionId,
              size: a.version.size,
              etag: a.version.etag,
            },
            { origin: a.origin, time: a.time },
          );
        }
      });
    } catch (err) {
      ctx.log.warn('access events lost', { count: batch.length, err });
    }
    if (this.dropped > 0) {
      ctx.log.warn('access events dropped: buffer full', { count: this.dropped });
      this.dropped = 0;
    }
  }
}
