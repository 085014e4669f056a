/**
 * Deletes blob files that no committed version references any more, but only
 * once no in-process reader is still streaming them: a GET that started before
 * an overwrite or delete keeps reading the old bytes to the end.
 *
 * The garbage_blobs rows of deleted files are forgotten lazily, in the next
 * write transaction (or at close), so reclaiming costs no extra commit.
 */
import type { Logger } from '../../shared/logger.js';
import type { BlobStore } from './blob/blob-store.js';

export class BlobReclaimer {
  private readonly readers = new Map<string, number>();
  private readonly waiting = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private removed: string[] = [];

  constructor(
    private readonly blobs: BlobStore,
    private readonly log: Logger,
  ) {}

  /** A reader starts on these blobs. */
  retain(ids: readonly string[]): void {
    for (const id of ids) this.readers.set(id, (this.readers.get(id) ?? 0) + 1);
  }

  /** A reader is done with these blobs. */
  release(ids: readonly string[]): void {
    for (const id of ids) {
      const n = (this.readers.get(id) ?? 1) - 1;
      if (n > 0) {
        this.readers.set(id, n);
        continue;
      }
      this.readers.delete(id);
      if (this.waiting.delete(id)) this.remove(id);
    }
  }

  /** These blobs are garbage (committed): delete now, or when their last reader finishes. */
  reclaim(ids: readonly string[]): void {
    for (const id of ids) {
      if (this.readers.has(id)) this.waiting.add(id);
      else this.remove(id);
    }
  }

  /** Ids deleted from disk whose garbage rows can now be dropped; the caller owns them. */
  takeRemoved(): string[] {
    const out = this.removed;
    this.removed = [];
    return out;
  }

  /** Gives ids back after a failed transaction, to be dropped next time. */
  restoreRemoved(ids: readonly string[]): void {
    this.removed.push(...ids);
  }

  get pendingCount(): number {
    return this.waiting.size;
  }

  /** Waits for deletions under way. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private remove(id: string): void {
    const p = this.blobs
      .remove(id)
      .then(() => {
        this.removed.push(id);
      })
      .catch((err: unknown) =>
        this.log.warn('could not delete a garbage blob; retried at next start', { id, err }),
      )
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }
}
