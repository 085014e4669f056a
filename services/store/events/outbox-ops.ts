/** Reading and maintaining the outbox: what the relay and the metrics use. */
import type { S3EventRecord, StrataEvent } from '../../../shared/events.js';
import type { StoreContext } from '../store-context.js';
import type { OutboxStats } from '../types.js';
import { withSequencer } from './event-record.js';

const PRUNE_CHUNK = 1000;

export function readOutbox(ctx: StoreContext, afterId: number, limit: number): StrataEvent[] {
  return ctx.meta.outbox
    .pending(afterId, limit)
    .map((r) => ({ id: r.id, record: withSequencer(JSON.parse(r.record) as S3EventRecord, r.id) }));
}

export function markOutboxSent(ctx: StoreContext, upToId: number): void {
  ctx.meta.bookkeeping(() => ctx.meta.outbox.markSent(upToId, Date.now()));
}

export function outboxStats(ctx: StoreContext): OutboxStats {
  const s = ctx.meta.outbox.stats();
  return {
    backlog: s.backlog,
    oldestAgeMs: s.oldestCreatedAt === undefined ? undefined : Math.max(0, Date.now() - s.oldestCreatedAt),
    lastId: s.lastId,
  };
}

/** Deletes sent events older than `olderThanMs`, in small transactions so writers never wait long. */
export function pruneOutbox(ctx: StoreContext, olderThanMs: number): number {
  const before = Date.now() - olderThanMs;
  let total = 0;
  for (;;) {
    const n = ctx.meta.bookkeeping(() => ctx.meta.outbox.prune(before, PRUNE_CHUNK));
    total += n;
    if (n < PRUNE_CHUNK) return total;
  }
}
