/**
 * Blobs as files under <dataDir>/tiers/hot: staged in tmp/<id>, published to
 * <first two hex chars of id>/<id>. Files are named by random ids, never by
 * object keys. Directory handles are kept open so a publish can be made
 * durable with one fsync of the directory.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { dropPageCache } from '../../../shared/page-cache.js';
import type { BlobReader, BlobStore, BlobWriter } from './blob-store.js';
import { FileReadStream } from './file-read-stream.js';
import { LocalBlobReader } from './local-blob-reader.js';
import { BufferPool } from '../buffer-pool.js';
import { StagedReserve } from './staged-reserve.js';

const DIR_TURN_MS = 4096;
/**
 * Most bytes one write system call hands the kernel. On these VMs a 1 MiB
 * write made the page cache take large folios, whose first touch cost about
 * twice the CPU of 256 KiB writes (measured: 1.9–2.5 against 0.7–1.5 ms per
 * MiB written and fsynced).
 */
export const WRITE_CALL_BYTES = 256 * 1024;
/**
 * Blobs from this size pass through the page cache instead of staying in it:
 * a writer drops the pages once fsynced, a read of this many bytes drops
 * what it has read (shared/page-cache.ts says why). Smaller ones stay cached:
 * for 1 MiB PUTs dropping saved nothing measurable, and a GET read back from
 * disk took twice as long.
 */
export const PASS_THROUGH_BYTES = 8 * 1024 * 1024;
/**
 * Blobs of a known size up to this are written to a file opened with
 * O_DSYNC: the one write that takes the whole blob returns once it is on
 * disk, so no fsync follows it, and a small PUT waits for one round trip
 * to the thread pool instead of two. Larger blobs are written in many calls
 * and fsynced once at the end (an O_DSYNC write each would wait for the disk
 * every time).
 */
export const SYNC_WRITE_MAX_BYTES = WRITE_CALL_BYTES;
/**
 * A blob of a known size up to this is written with O_DSYNC too when it is
 * created alone (no other blob being written): its writes overlap the body's arrival, and
 * the last one's data sync replaces the fsync that followed it, one round
 * trip to the thread pool instead of two at the end (1 MiB PUTs one at a
 * time: 206–214 against 163–194 MB/s, with inline hashing, body-writer.ts).
 * Beside other writers it is not: each O_DSYNC write is a journal commit of
 * its own, and sixteen 1 MiB PUTs at once ran 305–341 against 335–359 MB/s.
 */
export const SYNC_WRITE_ALONE_MAX_BYTES = 1024 * 1024;
const O_DSYNC_FLAGS =
  fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_DSYNC;
/** Read buffers kept for reuse while no read needs them (buffer-pool.ts). */
const FREE_READ_BUFFERS = 8;

export interface LocalBlobStoreOptions {
  /** The tier directory, e.g. <dataDir>/tiers/hot. */
  readonly root: string;
  /** Read stream chunk size. */
  readonly readChunkBytes?: number;
}

/** The chunks in order, in groups of at most `max` bytes (larger chunks are split). */
export function* writeGroups(chunks: readonly Buffer[], max: number): Generator<Buffer[]> {
  let group: Buffer[] = [];
  let bytes = 0;
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.length;) {
      const piece = chunk.subarray(at, at + (max - bytes));
      group.push(piece);
      bytes += piece.length;
      at += piece.length;
      if (bytes === max) {
        yield group;
        group = [];
        bytes = 0;
      }
    }
  }
  if (bytes > 0) yield group;
}

/** writev at `position` until every byte is written (a regular file may take fewer). */
async function writeAll(handle: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  let rest = buffers;
  for (;;) {
    const { bytesWritten } = await handle.writev(rest, position);
    if (bytesWritten === 0) throw new Error('writev wrote nothing');
    position += bytesWritten;
    let skip = bytesWritten;
    while (rest.length > 0 && skip >= rest[0]!.length) skip -= rest.shift()!.length;
    if (rest.length === 0) return;
    rest = [rest[0]!.subarray(skip), ...rest.slice(1)];
  }
}

class LocalBlobWriter implements BlobWriter {
  /**
   * The file, once a write asked for it: one promise that overlapping writes
   * share, so the file is opened (and truncated) once, never once per write.
   */
  private handle: Promise<FileHandle> | undefined;
  private closing: Promise<void> | undefined;
  /** Dropping the written pages from the page cache (large blobs), before the close. */
  private dropping: Promise<void> | undefined;
  /** Bytes handed to write() so far: where the next batch starts. */
  private size = 0;

  constructor(
    readonly id: string,
    private readonly file: string,
    /** The file when it was created ahead (staged-reserve.ts). */
    private readonly created: Promise<FileHandle> | undefined,
    /** Opened with O_DSYNC: every write is durable when it returns, finish() need not fsync. */
    private readonly syncWrites: boolean,
  ) {}

  private open(): Promise<FileHandle> {
    this.handle ??= this.created ?? fsp.open(this.file, this.syncWrites ? O_DSYNC_FLAGS : 'w');
    return this.handle;
  }

  /**
   * The groups of one batch go to the thread pool at once, each at its own
   * offset, instead of one after another: a 1 MiB batch then waits for one
   * round trip to the pool, not four (1 MiB PUTs at concurrency 1: 96–99
   * against 105–107 per second).
   */
  async write(chunks: readonly Buffer[]): Promise<void> {
    // The bytes' place in the file is taken now, so writes may overlap.
    let at = this.size;
    for (const b of chunks) this.size += b.length;
    const handle = await this.open();
    const writes: Promise<void>[] = [];
    for (const group of writeGroups(chunks, WRITE_CALL_BYTES)) {
      writes.push(writeAll(handle, group, at));
      for (const b of group) at += b.length;
    }
    // Every write settles before the batch does: a failed one never leaves another in flight.
    const failed = (await Promise.allSettled(writes)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async finish(): Promise<void> {
    const handle = await this.open();
    if (!this.syncWrites) await handle.sync();
    // The bytes are on disk: dropping their pages and the close need not delay the commit.
    if (this.size >= PASS_THROUGH_BYTES) this.dropping = dropPageCache(handle.fd, 0, 0);
    void this.close().catch(() => undefined);
  }

  async discard(): Promise<void> {
    await this.close().catch(() => undefined);
    if (this.handle || this.created) await fsp.rm(this.file, { force: true });
  }

  /** Closes the file once, whether it was opened here or created ahead. */
  private close(): Promise<void> {
    this.closing ??= (async () => {
      const h = await (this.handle ?? this.created)?.catch(() => undefined);
      await this.dropping;
      await h?.close();
    })();
    return this.closing;
  }
}

export class LocalBlobStore implements BlobStore {
  private readonly tmp: string;
  private readonly dirs = new Map<string, Promise<FileHandle>>();
  private readonly syncs = new Map<
    string,
    { running: Promise<void> | undefined; next: Promise<void> | undefined }
  >();
  private readonly readBuffers: BufferPool;
  private readonly reserve: StagedReserve;
  /** Files opened with O_DSYNC, for small blobs (SYNC_WRITE_MAX_BYTES). */
  private readonly syncReserve: StagedReserve;

  constructor(private readonly opts: LocalBlobStoreOptions) {
    this.tmp = path.join(opts.root, 'tmp');
    this.readBuffers = new BufferPool(opts.readChunkBytes ?? 1024 * 1024, FREE_READ_BUFFERS);
    this.reserve = new StagedReserve(
      () => this.newId(),
      (id) => this.stagedPath(id),
    );
    this.syncReserve = new StagedReserve(
      () => this.newId(),
      (id) => this.stagedPath(id),
      { flags: O_DSYNC_FLAGS },
    );
  }

  async ready(): Promise<void> {
    await fsp.mkdir(this.tmp, { recursive: true });
    // All 256 fan-out directories up front: no mkdir on the write path.
    await Promise.all(
      Array.from({ length: 256 }, (_, i) =>
        fsp.mkdir(path.join(this.opts.root, i.toString(16).padStart(2, '0')), { recursive: true }),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.reserve.close(), this.syncReserve.close()]);
    const handles = [...this.dirs.values()];
    this.dirs.clear();
    await Promise.allSettled(handles.map(async (h) => (await h).close()));
  }

  create(size?: number, alone = false): BlobWriter {
    const limit = alone ? SYNC_WRITE_ALONE_MAX_BYTES : SYNC_WRITE_MAX_BYTES;
    const syncWrites = size !== undefined && size <= limit;
    const made = (syncWrites ? this.syncReserve : this.reserve).take();
    if (made) return new LocalBlobWriter(made.id, this.stagedPath(made.id), made.handle, syncWrites);
    const id = this.newId();
    return new LocalBlobWriter(id, this.stagedPath(id), undefined, syncWrites);
  }

  /** Staged files created ahead that no write has taken yet (tests tell them from leftovers). */
  reservedIds(): string[] {
    return [...this.reserve.ids(), ...this.syncReserve.ids()];
  }

  private newId(): string {
    // The first byte (the fan-out directory) turns over every few seconds instead
    // of being random: writes close in time land in one directory, so the
    // directory fsyncs that make their renames durable coalesce (see persist).
    // Over time the 256 directories still fill evenly.
    const dirByte = Math.floor(Date.now() / DIR_TURN_MS) % 256;
    return dirByte.toString(16).padStart(2, '0') + randomBytes(15).toString('hex');
  }

  publish(id: string): void {
    fs.renameSync(this.stagedPath(id), this.finalPath(id));
  }

  /**
   * fsync of the blob's directory. Requests that arrive while one is running
   * share the next one (which starts after theirs were renamed), so a burst of
   * PUTs into one directory costs two fsyncs, not one each.
   */
  persist(id: string): Promise<void> {
    const dir = path.dirname(this.finalPath(id));
    let state = this.syncs.get(dir);
    if (!state) {
      state = { running: undefined, next: undefined };
      this.syncs.set(dir, state);
    }
    const s = state;
    if (!s.running) {
      s.running = this.syncDir(dir).finally(() => (s.running = undefined));
      return s.running;
    }
    s.next ??= s.running
      .catch(() => undefined)
      .then(() => {
        s.next = undefined;
        s.running = this.syncDir(dir).finally(() => (s.running = undefined));
        return s.running;
      });
    return s.next;
  }

  private async syncDir(dir: string): Promise<void> {
    let h = this.dirs.get(dir);
    if (!h) {
      h = fsp.open(dir, 'r');
      this.dirs.set(dir, h);
      h.catch(() => this.dirs.delete(dir));
    }
    await (await h).sync();
  }

  read(id: string, start: number, end: number): Readable {
    const passThrough = end - start + 1 >= PASS_THROUGH_BYTES;
    return new FileReadStream(this.finalPath(id), start, end, this.readBuffers, passThrough);
  }

  recycle(chunk: Buffer): void {
    this.readBuffers.give(chunk);
  }

  openReader(id: string): Promise<BlobReader> {
    return LocalBlobReader.open(this.finalPath(id));
  }

  async remove(id: string): Promise<void> {
    await fsp.rm(this.finalPath(id), { force: true });
  }

  async listStaged(): Promise<string[]> {
    const names = await fsp.readdir(this.tmp);
    return names;
  }

  async discardStaged(id: string): Promise<void> {
    await fsp.rm(this.stagedPath(id), { force: true });
  }

  private stagedPath(id: string): string {
    return path.join(this.tmp, id);
  }

  private finalPath(id: string): string {
    return path.join(this.opts.root, id.slice(0, 2), id);
  }
}
