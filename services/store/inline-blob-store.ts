/**
 * Small object bodies kept in the metadata database instead of in files
 * (issue 2: small-object throughput; MinIO inlines small objects in xl.meta
 * for the same reason).
 *
 * A body in a file costs, before a PUT can be acknowledged, an fsync of the
 * file, a rename and an fsync of its directory (ext4 without a journal does
 * not persist a new directory entry otherwise), on top of the metadata
 * commit's own WAL fsync; a GET opens, reads and closes the file. A body of
 * at most `maxBytes` instead rides in the version's commit: its bytes go into
 * its `blobs` row in the same synchronous=FULL transaction, so one fsync
 * makes both durable, and a GET reads it with the version's row. Nothing is
 * staged, so a crash before the commit leaves nothing behind.
 *
 * It is a BlobStore over the file store: ids starting with INLINE_PREFIX are
 * rows, every other id is a file. Only writers from the view smallBodies() make inline
 * blobs (smallBodies()), and only for callers that store the bytes in
 * their commit (object-ops putObject); create() makes a file.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobStore, BlobWriter } from './blob/blob-store.js';
import type { MetadataStore } from './metadata/metadata-store.js';

/** File ids are hex; this prefix can never be one. */
export const INLINE_PREFIX = 'inline-';

/** Default largest body kept inline: small enough that the row stays a few pages. */
export const DEFAULT_INLINE_MAX_BYTES = 16 * 1024;

export function isInlineBlob(id: string): boolean {
  return id.startsWith(INLINE_PREFIX);
}

/** Holds a small body in memory until the commit; past maxBytes it becomes a file writer. */
class SmallBodyWriter implements BlobWriter {
  private readonly inlineId = INLINE_PREFIX + randomBytes(16).toString('hex');
  private held: Buffer[] = [];
  private heldBytes = 0;
  private file: BlobWriter | undefined;

  constructor(
    private readonly store: InlineBlobStore,
    private readonly files: BlobStore,
    private readonly maxBytes: number,
  ) {}

  get id(): string {
    return this.file?.id ?? this.inlineId;
  }

  async write(chunks: readonly Buffer[]): Promise<void> {
    if (!this.file) {
      for (const c of chunks) this.heldBytes += c.length;
      if (this.heldBytes <= this.maxBytes) {
        this.held.push(...chunks);
        return;
      }
      this.file = this.files.create();
      chunks = [...this.held, ...chunks];
      this.held = [];
    }
    await this.file.write(chunks);
  }

  async finish(): Promise<void> {
    if (this.file) return this.file.finish();
    this.store.stage(this.inlineId, Buffer.concat(this.held, this.heldBytes));
    this.held = [];
  }

  async discard(): Promise<void> {
    this.held = [];
    this.store.unstage(this.inlineId);
    await this.file?.discard();
  }
}

export class InlineBlobStore implements BlobStore {
  private smallView: InlineBlobStore | undefined;

  constructor(
    private readonly files: BlobStore,
    private readonly meta: MetadataStore,
    readonly maxBytes: number = DEFAULT_INLINE_MAX_BYTES,
    /** Finished small bodies waiting for their commit, by id. */
    private readonly staged = new Map<string, Buffer>(),
    private readonly createsSmall = false,
  ) {}

  ready(): Promise<void> {
    return this.files.ready();
  }
  close(): Promise<void> {
    return this.files.close();
  }

  /** A file writer; in the view from smallBodies(), a writer that keeps a small body in memory. */
  create(): BlobWriter {
    if (this.createsSmall && this.maxBytes > 0) return new SmallBodyWriter(this, this.files, this.maxBytes);
    return this.files.create();
  }

  /**
   * The same store, except that create() keeps a body of at most maxBytes in
   * memory (larger ones go to a file). Whoever writes through it must, inside
   * the commit that first retains the id, call storeStaged(id) so the bytes
   * are committed with the reference (object-ops putObject).
   */
  smallBodies(): InlineBlobStore {
    this.smallView ??= new InlineBlobStore(this.files, this.meta, this.maxBytes, this.staged, true);
    return this.smallView;
  }

  stage(id: string, data: Buffer): void {
    this.staged.set(id, data);
  }
  unstage(id: string): void {
    this.staged.delete(id);
  }

  /** Inside a commit: writes a staged inline body to its row (no-op for a file id). */
  storeStaged(id: string): void {
    if (!isInlineBlob(id)) return;
    const data = this.staged.get(id);
    if (!data) throw new Error(`inline blob ${id} is not staged`);
    this.meta.blobRefs.storeInline(id, data);
  }

  publish(id: string): void {
    // Inline bytes are live once committed; there is no file to move.
    if (isInlineBlob(id)) this.staged.delete(id);
    else this.files.publish(id);
  }

  async persist(id: string): Promise<void> {
    // The commit's WAL fsync already made inline bytes durable.
    if (!isInlineBlob(id)) await this.files.persist(id);
  }

  read(id: string, start: number, end: number): Readable {
    if (!isInlineBlob(id)) return this.files.read(id, start, end);
    // Read whole at open: a GET keeps its bytes even if the version is overwritten meanwhile.
    const data = this.meta.blobRefs.inlineData(id);
    if (!data) {
      const err = Object.assign(new Error(`ENOENT: no inline blob ${id}`), { code: 'ENOENT' });
      return new Readable({
        read() {
          this.destroy(err);
        },
      });
    }
    return Readable.from([data.subarray(start, end + 1)], { objectMode: false });
  }

  async remove(id: string): Promise<void> {
    // An inline blob's bytes were deleted with its row, in the commit that freed it.
    if (!isInlineBlob(id)) await this.files.remove(id);
  }

  listStaged(): Promise<string[]> {
    return this.files.listStaged();
  }
  discardStaged(id: string): Promise<void> {
    return this.files.discardStaged(id);
  }
}
