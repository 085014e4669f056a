/**
 * Group commit for the SQLite metadata store. The connection runs in WAL mode
 * with synchronous=NORMAL: a commit writes its frames to the WAL but does not
 * fsync it (SQLite still syncs at checkpoints, so the database is always
 * consistent; https://www.sqlite.org/pragma.html#pragma_synchronous). What
 * synchronous=FULL would add — the WAL on disk before the commit counts — is
 * done here instead, off the event loop: durable() resolves once an
 * fdatasync of the WAL file that started after the caller's commits has
 * finished. Every mutation is acknowledged only after durable() (the S3
 * server and GraphQL mutations await it), so an acknowledged change survives
 * power loss as it did with FULL, while commits no longer block the thread
 * that serves requests for an fsync each, and concurrent requests share one.
 *
 * Whether anything needs syncing comes from SQLite's total_changes() counter
 * of the connection: unchanged since the last sync means nothing to wait for.
 */
import fs from 'node:fs';

/** fdatasync of a file, through one handle opened on first use; close() releases it. */
export function fileSyncer(file: string): { sync: () => Promise<void>; close: () => void } {
  let fd: number | undefined;
  return {
    sync: () => {
      // The WAL file exists while the connection is open in WAL mode.
      fd ??= fs.openSync(file, 'r');
      const handle = fd;
      return new Promise((resolve, reject) => fs.fdatasync(handle, (err) => (err ? reject(err) : resolve())));
    },
    close: () => {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
  };
}

export class WalSync {
  /** changes() covered by the last finished sync. */
  private synced: number;
  private running: { covers: number; done: Promise<void> } | undefined;
  private next: { done: Promise<void> } | undefined;
  /** Syncs started so far. */
  syncs = 0;

  constructor(
    /** Makes the WAL durable (fdatasync). */
    private readonly sync: () => Promise<void>,
    /** A counter that grows with every change (the connection's total_changes()). */
    private readonly changes: () => number,
  ) {
    this.synced = changes();
  }

  /** Resolves when every change made so far is on disk. */
  durable(): Promise<void> {
    const now = this.changes();
    if (now === this.synced) return Promise.resolve();
    if (this.running !== undefined && this.running.covers >= now) return this.running.done;
    // A sync under way may have started before these changes: share the one after it.
    if (this.running !== undefined) {
      this.next ??= { done: this.running.done.catch(() => undefined).then(() => this.start()) };
      return this.next.done;
    }
    return this.start();
  }

  private start(): Promise<void> {
    this.next = undefined;
    const covers = this.changes();
    this.syncs++;
    const done = this.sync().then(
      () => {
        if (covers > this.synced) this.synced = covers;
        this.running = undefined;
      },
      (err: unknown) => {
        this.running = undefined;
        throw err;
      },
    );
    this.running = { covers, done };
    return done;
  }
}
