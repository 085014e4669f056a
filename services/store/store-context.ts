/**
 * What every store operation works with: the metadata store, the blob store,
 * the reclaimer, and the one way to change metadata. A commit runs a
 * transaction, then — in the same synchronous step — publishes the staged
 * blobs it committed and hands the blobs it freed to the reclaimer. No request
 * can observe metadata that points at an unpublished blob.
 *
 * `commitSoon` is group commit for the write path: commits requested in the
 * same turn of the event loop share one transaction, so one durable fsync of
 * the database serves many PUTs. Each runs in its own savepoint, so one that
 * fails (e.g. a precondition) does not affect the others.
 */
import { bindToRequest } from '../../shared/request-context.js';
import type { Logger } from '../../shared/logger.js';
import type { BlobStore } from './blob/blob-store.js';
import type { BlobReclaimer } from './blob-reclaimer.js';
import type { HashPool } from './hash/hash-pool.js';
import type { MetadataStore } from './metadata/metadata-store.js';

/** Blob reference changes made inside a commit. */
export interface CommitScope {
  retain(ids: readonly string[]): void;
  release(ids: readonly string[]): void;
}

type CommitFn<T> = (scope: CommitScope) => T;

interface Queued {
  readonly fn: CommitFn<unknown>;
  readonly publish: readonly string[];
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

type Outcome = { ok: true; value: unknown; freed: string[] } | { ok: false; error: unknown };

export class StoreContext {
  private queue: Queued[] = [];
  /** Set when a commit appends to the outbox; listeners hear of it once the commit is done. */
  private wroteEvents = false;
  private readonly outboxListeners = new Set<() => void>();
  /** Threads that hash large bodies (body-writer.ts); none: bodies are hashed inline. */
  hashPool: HashPool | undefined;
  /** Blob publishes whose directory fsync is under way: durable() waits for them. */
  private readonly persisting = new Set<Promise<void>>();

  constructor(
    readonly meta: MetadataStore,
    readonly blobs: BlobStore,
    readonly reclaimer: BlobReclaimer,
    readonly log: Logger,
    /** Region written into event records (awsRegion). */
    readonly region: string = 'us-east-1',
  ) {}

  /**
   * Starts making a committed blob's publish durable (the fsync of its
   * directory) without waiting for it: it runs alongside the WAL sync of the
   * commit, and durable() — which every acknowledgement awaits — waits for
   * both. Until then a crash is covered by recovery, which rolls a committed
   * staged blob forward.
   */
  persistSoon(id: string): void {
    const p: Promise<void> = this.blobs.persist(id).finally(() => this.persisting.delete(p));
    p.catch(() => undefined); // durable() reports the failure to the request that waits
    this.persisting.add(p);
  }

  /** Resolves once every commit and every blob publish made so far is on disk. */
  durable(): Promise<void> {
    if (this.persisting.size === 0) return this.meta.durable();
    return Promise.all([this.meta.durable(), ...this.persisting]).then(() => undefined);
  }

  /** Called inside a commit by whatever appended an outbox row (events/outbox-append.ts). */
  noteEventWritten(): void {
    this.wroteEvents = true;
  }

  onOutboxWrite(listener: () => void): () => void {
    this.outboxListeners.add(listener);
    return () => this.outboxListeners.delete(listener);
  }

  private signalEvents(): void {
    if (!this.wroteEvents) return;
    this.wroteEvents = false;
    for (const l of this.outboxListeners) {
      try {
        l();
      } catch (err) {
        this.log.error('outbox listener failed', { err });
      }
    }
  }

  /** Commits now (synchronously). */
  commit<T>(fn: CommitFn<T>, publish: readonly string[] = []): T {
    const [outcome] = this.run([fn]);
    this.signalEvents();
    if (!outcome || !outcome.ok) throw outcome?.error;
    this.finish(publish, outcome.freed);
    return outcome.value as T;
  }

  /** Commits together with the other commits requested in this turn of the event loop. */
  commitSoon<T>(fn: CommitFn<T>, publish: readonly string[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Bound to the caller's async context: the batch runs in whichever request flushed it,
      // but each function must see its own request (shared/request-context.ts).
      const bound = bindToRequest(fn) as CommitFn<unknown>;
      this.queue.push({ fn: bound, publish, resolve: resolve as (v: unknown) => void, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.run(batch.map((q) => q.fn));
    } catch (err) {
      this.wroteEvents = false;
      for (const q of batch) q.reject(err);
      return;
    }
    this.signalEvents();
    batch.forEach((q, i) => {
      const o = outcomes[i] as Outcome;
      if (!o.ok) return q.reject(o.error);
      try {
        this.finish(q.publish, o.freed);
        q.resolve(o.value);
      } catch (err) {
        q.reject(err);
      }
    });
  }

  /** One transaction; each function in its own savepoint. Throws only if the commit itself fails. */
  private run(fns: readonly CommitFn<unknown>[]): Outcome[] {
    const removed = this.reclaimer.takeRemoved();
    const refs = this.meta.blobRefs;
    try {
      return this.meta.transaction(() => {
        if (removed.length > 0) refs.forgetGarbage(removed);
        return fns.map((fn): Outcome => {
          const freed: string[] = [];
          const scope: CommitScope = {
            retain: (ids) => refs.retain(ids),
            release: (ids) => freed.push(...refs.release(ids)),
          };
          try {
            return { ok: true, value: this.meta.transaction(() => fn(scope)), freed };
          } catch (error) {
            return { ok: false, error };
          }
        });
      });
    } catch (err) {
      this.reclaimer.restoreRemoved(removed);
      throw err;
    }
  }

  /**
   * After a commit: publishing is a rename; if it fails, the blob stays staged
   * and the next start rolls it forward (its id is now referenced).
   */
  private finish(publish: readonly string[], freed: readonly string[]): void {
    this.reclaimer.reclaim(freed);
    for (const id of publish) this.blobs.publish(id);
  }
}
