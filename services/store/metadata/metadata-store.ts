/**
 * The metadata seam: everything the store keeps about users, buckets, object
 * versions, multipart uploads and blob references. SQLite implements it now
 * (store/sqlite); PostgreSQL will implement the same interface for several
 * nodes. Versioning rules live above this interface (version-commit.ts); the
 * tables only store and find rows.
 *
 * All methods are synchronous because better-sqlite3 is; `transaction` runs its
 * function atomically (a PostgreSQL implementation will need an async variant).
 */
import type {
  Bucket,
  CorsRule,
  MultipartUpload,
  NotificationRule,
  ObjectVersion,
  Tag,
  UploadedPart,
  User,
  VersioningStatus,
} from '../types.js';
import type { KeyBound } from '../key-order.js';

/** A row of the versions table: an ObjectVersion plus its position in write order. */
export interface StoredVersion extends ObjectVersion {
  /** Increases with every write; newest version of a key = highest seq. */
  readonly seq: number;
}

export type NewVersion = Omit<StoredVersion, 'seq' | 'isLatest'>;

export interface StoredUpload extends MultipartUpload {
  readonly seq: number;
}

export interface StoredPart extends UploadedPart {
  /** Undefined for an empty part (no blob). */
  readonly blobId: string | undefined;
}

export interface UserTable {
  byAccessKey(accessKey: string): User | undefined;
  byName(name: string): User | undefined;
  root(): User | undefined;
  insert(user: User): void;
  updateKeys(id: string, accessKey: string, secretKey: string): void;
  list(): User[];
  remove(id: string): void;
}

export interface BucketTable {
  get(name: string): Bucket | undefined;
  insert(bucket: Bucket): void;
  listByOwner(ownerId: string): Bucket[];
  remove(name: string): void;
  setVersioning(name: string, status: VersioningStatus): void;
  getTagging(name: string): Tag[] | undefined;
  setTagging(name: string, tags: readonly Tag[] | undefined): void;
  getCors(name: string): CorsRule[] | undefined;
  setCors(name: string, rules: readonly CorsRule[] | undefined): void;
  getNotification(name: string): NotificationRule[];
  /** An empty list clears the configuration. */
  setNotification(name: string, rules: readonly NotificationRule[]): void;
}

export interface VersionTable {
  /** Newest version or delete marker of a key. */
  latest(bucket: string, key: string): StoredVersion | undefined;
  get(bucket: string, key: string, versionId: string): StoredVersion | undefined;
  /** Inserts as the key's latest version (the previous latest stops being latest). */
  insert(version: NewVersion): StoredVersion;
  /** Removes one version; if it was latest, the next newest becomes latest. */
  remove(version: StoredVersion): void;
  setTags(seq: number, tags: readonly Tag[]): void;
  hasAny(bucket: string): boolean;
  /** Latest versions that are not delete markers, keys ascending, from `from` up to `before` (exclusive). */
  scanCurrent(bucket: string, from: KeyBound, before: string | undefined): IterableIterator<StoredVersion>;
  /** All versions and delete markers, keys ascending then newest first. */
  scanAll(bucket: string, from: KeyBound, before: string | undefined): IterableIterator<StoredVersion>;
  /** Versions of one key older than `seq`, newest first. */
  scanOlder(bucket: string, key: string, seq: number): IterableIterator<StoredVersion>;
}

export interface UploadTable {
  insert(upload: Omit<StoredUpload, 'seq'>): void;
  get(uploadId: string): StoredUpload | undefined;
  remove(uploadId: string): void;
  hasAny(bucket: string): boolean;
  /** Uploads ordered by key, then initiation. */
  scan(bucket: string, from: KeyBound, before: string | undefined): IterableIterator<StoredUpload>;
  /** Uploads of one key initiated after the one with `seq`. */
  scanNewer(bucket: string, key: string, seq: number): IterableIterator<StoredUpload>;
  /** Stores a part; returns the part it replaced, if any. */
  putPart(uploadId: string, part: StoredPart): StoredPart | undefined;
  parts(uploadId: string): StoredPart[];
  listParts(uploadId: string, afterPartNumber: number, limit: number): StoredPart[];
  removeParts(uploadId: string): void;
}

/**
 * Reference counts of blobs. A blob is committed once it has a row; when its
 * count reaches zero the row moves to the garbage list, in the same
 * transaction, and the file is deleted after commit.
 */
export interface BlobRefTable {
  retain(ids: readonly string[]): void;
  /** Returns the ids whose count reached zero (now listed as garbage). */
  release(ids: readonly string[]): string[];
  isCommitted(id: string): boolean;
  garbage(): string[];
  forgetGarbage(ids: readonly string[]): void;
}

/** A row of the event outbox: the event id, when it was written, the S3 record JSON. */
export interface OutboxRow {
  readonly id: number;
  readonly createdAt: number;
  /** S3EventRecord JSON; its sequencer is derived from `id` when read. */
  readonly record: string;
}

export interface NewOutboxRow {
  readonly createdAt: number;
  readonly bucket: string;
  readonly key: string;
  readonly eventName: string;
  readonly record: string;
}

/** The transactional outbox (services/store/events). Ids increase in commit order. */
export interface OutboxTable {
  append(row: NewOutboxRow): number;
  /** Unsent rows with id > afterId, ascending. */
  pending(afterId: number, limit: number): OutboxRow[];
  markSent(upToId: number, sentAt: number): void;
  stats(): { backlog: number; oldestCreatedAt: number | undefined; lastId: number };
  /** Deletes the oldest sent rows written before `createdBefore`, at most `limit`; returns the count. */
  prune(createdBefore: number, limit: number): number;
}

/** Named leases so one process runs a singleton (the outbox relay) per data dir. */
export interface LeaseTable {
  /** Takes or renews the lease when free, expired or already held by `holder`. */
  acquire(name: string, holder: string, now: number, ttlMs: number): boolean;
  release(name: string, holder: string): void;
}

export interface MetadataStore {
  /** Brings the schema up to date (idempotent, safe with two processes). */
  migrate(): void;
  transaction<T>(fn: () => T): T;
  /**
   * Resolves once every change committed so far is on disk (group commit: a
   * commit is visible at once, durable when this resolves). Acknowledge a
   * change to a client only after it.
   */
  durable(): Promise<void>;
  /**
   * A transaction of bookkeeping that nothing acknowledges (the relay marking
   * events sent, pruning): durable() does not wait for it on its own. Losing
   * it to a power cut only repeats work that is idempotent.
   */
  bookkeeping<T>(fn: () => T): T;
  close(): void;
  readonly users: UserTable;
  readonly buckets: BucketTable;
  readonly versions: VersionTable;
  readonly uploads: UploadTable;
  readonly blobRefs: BlobRefTable;
  readonly outbox: OutboxTable;
  readonly leases: LeaseTable;
}
