/**
 * The ObjectStore (types.ts) over a metadata store and a blob store. Each
 * operation lives in its own module; this class wires them to the interface
 * and owns the life cycle: ready() migrates and recovers, close() is
 * idempotent and runs every cleanup even when one fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { StrataEvent } from '../../shared/events.js';
import { currentScope } from '../../shared/request-context.js';
import type { Logger } from '../../shared/logger.js';
import { LocalBlobStore } from './blob/local-blob-store.js';
import { HashPool } from './hash/hash-pool.js';
import type { BlobStore } from './blob/blob-store.js';
import { BlobReclaimer } from './blob-reclaimer.js';
import { openBody } from './body-reader.js';
import { openRandomAccess } from './random-access-body.js';
import * as buckets from './bucket-ops.js';
import { copyObject } from './copy-ops.js';
import { DataDirLock } from './data-dir-lock.js';
import { AccessLog } from './events/access-log.js';
import * as outbox from './events/outbox-ops.js';
import { listMultipartUploads, listObjectVersions, listObjects } from './listing.js';
import type { MetadataStore } from './metadata/metadata-store.js';
import { completeMultipartUpload, MIN_PART_SIZE } from './multipart-complete.js';
import * as multipart from './multipart-ops.js';
import { deleteObject, putObject, putObjectTagging } from './object-ops.js';
import { recover } from './recovery.js';
import { SqliteMetadataStore } from './sqlite/sqlite-metadata-store.js';
import { StoreContext } from './store-context.js';
import type * as T from './types.js';
import * as users from './user-ops.js';
import { findVersion } from './version-lookup.js';

export interface ObjectStoreOptions {
  readonly dataDir: string;
  readonly log: Logger;
  /** Smallest allowed non-last part (default 5 MiB, as S3). */
  readonly minPartSize?: number;
  /** For tests and other backends: defaults are SQLite meta.db and tiers/hot. */
  readonly meta?: MetadataStore;
  readonly blobs?: BlobStore;
  /** Region written into event records (default us-east-1). */
  readonly region?: string;
  /**
   * false for long-running processes beside the server (`strata worker`): they
   * never take the data dir's lock, so they never run recovery and a server
   * started after them still owns the data dir. Default true.
   */
  readonly ownsDataDir?: boolean;
  /**
   * Threads that hash large bodies (hash/hash-pool.ts): unset or 0, one per
   * core but one; -1, none (bodies are hashed on the request's thread).
   */
  readonly hashThreads?: number;
}

export class StrataObjectStore implements T.ObjectStore {
  private readonly ctx: StoreContext;
  private readonly lock: DataDirLock;
  private readonly minPartSize: number;
  private readonly accessLog: AccessLog;
  private readonly ownsDataDir: boolean;
  private closing: Promise<void> | undefined;

  constructor(opts: ObjectStoreOptions) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    const meta = opts.meta ?? new SqliteMetadataStore({ file: path.join(opts.dataDir, 'meta.db') });
    const blobs = opts.blobs ?? new LocalBlobStore({ root: path.join(opts.dataDir, 'tiers', 'hot') });
    this.ctx = new StoreContext(meta, blobs, new BlobReclaimer(blobs, opts.log), opts.log, opts.region);
    this.ctx.hashPool = opts.hashThreads === -1 ? undefined : new HashPool({ threads: opts.hashThreads });
    this.accessLog = new AccessLog(this.ctx);
    this.ownsDataDir = opts.ownsDataDir ?? true;
    this.lock = new DataDirLock(opts.dataDir);
    this.minPartSize = opts.minPartSize ?? MIN_PART_SIZE;
  }

  async ready(): Promise<void> {
    this.ctx.meta.migrate();
    await this.ctx.blobs.ready();
    if (!this.ownsDataDir || !this.lock.acquire()) {
      this.ctx.log.debug('another process owns the data dir; skipping recovery');
      return;
    }
    const r = await recover(this.ctx);
    if (r.rolledForward + r.discarded + r.reclaimed > 0) this.ctx.log.info('store recovery', { ...r });
  }

  durable(): Promise<void> {
    return this.ctx.durable();
  }

  /** Waits until blob deletions under way have finished (tests; shutdown does it too). */
  settle(): Promise<void> {
    return this.ctx.reclaimer.settle();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const errs: unknown[] = [];
      const step = async (fn: () => unknown) => {
        try {
          await fn();
        } catch (e) {
          errs.push(e);
        }
      };
      await step(() => this.accessLog.flush());
      await step(() => this.ctx.reclaimer.settle());
      await step(() => {
        const removed = this.ctx.reclaimer.takeRemoved();
        if (removed.length > 0)
          this.ctx.meta.transaction(() => this.ctx.meta.blobRefs.forgetGarbage(removed));
      });
      await step(() => this.ctx.durable());
      await step(() => this.ctx.hashPool?.close());
      await step(() => this.ctx.blobs.close());
      await step(() => this.ctx.meta.close());
      await step(() => this.lock.release());
      if (errs.length > 0) throw new AggregateError(errs, 'errors while closing the store');
    })();
    return this.closing;
  }

  // users
  ensureRootUser(accessKey: string, secretKey: string): T.User {
    return users.ensureRootUser(this.ctx.meta, accessKey, secretKey);
  }
  createUser(name: string, accessKey: string, secretKey: string): T.User {
    return users.createUser(this.ctx.meta, name, accessKey, secretKey);
  }
  listUsers(): T.User[] {
    return this.ctx.meta.users.list();
  }
  removeUser(accessKeyOrName: string): boolean {
    return users.removeUser(this.ctx.meta, accessKeyOrName);
  }
  findUser(accessKey: string): T.User | undefined {
    return this.ctx.meta.users.byAccessKey(accessKey);
  }

  // buckets
  createBucket(name: string, owner: T.User, region: string): T.Bucket {
    return buckets.createBucket(this.ctx, name, owner, region);
  }
  getBucket(name: string): T.Bucket | undefined {
    return this.ctx.meta.buckets.get(name);
  }
  listBuckets(owner: T.User): T.Bucket[] {
    return this.ctx.meta.buckets.listByOwner(owner.id);
  }
  deleteBucket(name: string): void {
    buckets.deleteBucket(this.ctx, name);
  }
  setBucketVersioning(name: string, status: 'Enabled' | 'Suspended'): void {
    buckets.setBucketVersioning(this.ctx, name, status);
  }
  getBucketTagging(name: string): T.Tag[] | undefined {
    return buckets.getBucketTagging(this.ctx, name);
  }
  putBucketTagging(name: string, tags: readonly T.Tag[] | undefined): void {
    buckets.putBucketTagging(this.ctx, name, tags);
  }
  getBucketCors(name: string): T.CorsRule[] | undefined {
    return buckets.getBucketCors(this.ctx, name);
  }
  putBucketCors(name: string, rules: readonly T.CorsRule[] | undefined): void {
    buckets.putBucketCors(this.ctx, name, rules);
  }
  getBucketNotification(name: string): T.NotificationConfiguration {
    return buckets.getBucketNotification(this.ctx, name);
  }
  putBucketNotification(name: string, config: T.NotificationConfiguration): void {
    buckets.putBucketNotification(this.ctx, name, config);
  }

  // objects
  putObject(bucket: string, key: string, body: Readable, opts: T.PutObjectOptions): Promise<T.ObjectVersion> {
    return putObject(this.ctx, bucket, key, body, opts);
  }
  headObject(bucket: string, key: string, opts: T.ReadOptions = {}): T.ObjectVersion {
    const v = findVersion(this.ctx.meta, bucket, key, opts.versionId);
    // Access events of S3 requests are recorded here and in openObject, told apart by the
    // request's operation, so that internal reads (S3 Select's ranged reads) make none.
    if (!v.isDeleteMarker && currentScope()?.operation === 'HeadObject') this.accessLog.record(v, 'Head');
    return v;
  }
  openObject(version: T.ObjectVersion, range?: T.ByteRange, signal?: AbortSignal): Readable {
    const body = openBody(this.ctx.blobs, this.ctx.reclaimer, version, range, signal);
    if (currentScope()?.operation === 'GetObject') this.accessLog.record(version, 'Get');
    return body;
  }
  recycle(chunk: Buffer): void {
    this.ctx.blobs.recycle(chunk);
  }
  openRandomAccess(version: T.ObjectVersion, signal?: AbortSignal): T.RandomAccessBody {
    return openRandomAccess(this.ctx.blobs, this.ctx.reclaimer, version, signal);
  }
  deleteObject(bucket: string, key: string, opts: { versionId?: string } = {}): T.DeleteResult {
    return deleteObject(this.ctx, bucket, key, opts.versionId);
  }
  copyObject(
    srcBucket: string,
    srcKey: string,
    dstBucket: string,
    dstKey: string,
    opts: T.CopyObjectOptions,
  ): Promise<{ version: T.ObjectVersion; sourceVersion: T.ObjectVersion }> {
    return copyObject(this.ctx, srcBucket, srcKey, dstBucket, dstKey, opts);
  }
  putObjectTagging(bucket: string, key: string, tags: readonly T.Tag[], versionId?: string): T.ObjectVersion {
    return putObjectTagging(this.ctx, bucket, key, tags, versionId);
  }
  listObjects(bucket: string, opts: T.ListObjectsOptions): T.ListObjectsResult {
    return listObjects(this.ctx, bucket, opts);
  }
  listObjectVersions(bucket: string, opts: T.ListVersionsOptions): T.ListVersionsResult {
    return listObjectVersions(this.ctx, bucket, opts);
  }

  // multipart
  createMultipartUpload(
    bucket: string,
    key: string,
    owner: T.User,
    opts: Omit<T.PutObjectOptions, 'contentLength' | 'contentMd5' | 'checksumValue' | 'trailingChecksum'>,
  ): T.MultipartUpload {
    return multipart.createMultipartUpload(this.ctx, bucket, key, owner, opts);
  }
  getMultipartUpload(bucket: string, key: string, uploadId: string): T.MultipartUpload {
    return multipart.getMultipartUpload(this.ctx, bucket, key, uploadId);
  }
  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable,
    opts: T.PutObjectOptions,
  ): Promise<T.UploadedPart> {
    return multipart.uploadPart(this.ctx, bucket, key, uploadId, partNumber, body, opts);
  }
  uploadPartCopy(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    source: { bucket: string; key: string; versionId?: string; range?: string },
    opts: { sourceCondition?: (source: T.ObjectVersion) => void; signal?: AbortSignal },
  ): Promise<{ part: T.UploadedPart; sourceVersion: T.ObjectVersion }> {
    return multipart.uploadPartCopy(this.ctx, bucket, key, uploadId, partNumber, source, opts);
  }
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: readonly T.CompletePart[],
    opts: { ifNoneMatch?: string; ifMatch?: string } = {},
  ): T.ObjectVersion {
    return completeMultipartUpload(this.ctx, bucket, key, uploadId, parts, opts, this.minPartSize);
  }
  abortMultipartUpload(bucket: string, key: string, uploadId: string): void {
    multipart.abortMultipartUpload(this.ctx, bucket, key, uploadId);
  }
  listParts(
    bucket: string,
    key: string,
    uploadId: string,
    opts: { partNumberMarker?: number; maxParts: number },
  ): T.ListPartsResult {
    return multipart.listParts(this.ctx, bucket, key, uploadId, opts);
  }
  listMultipartUploads(bucket: string, opts: T.ListUploadsOptions): T.ListUploadsResult {
    return listMultipartUploads(this.ctx, bucket, opts);
  }

  // events
  readOutbox(afterId: number, limit: number): StrataEvent[] {
    return outbox.readOutbox(this.ctx, afterId, limit);
  }
  markOutboxSent(upToId: number): void {
    outbox.markOutboxSent(this.ctx, upToId);
  }
  outboxStats(): T.OutboxStats {
    return outbox.outboxStats(this.ctx);
  }
  pruneOutbox(olderThanMs: number): number {
    return outbox.pruneOutbox(this.ctx, olderThanMs);
  }
  recordAccess(version: T.ObjectVersion, kind: T.AccessKind): void {
    this.accessLog.record(version, kind);
  }
  /** Writes buffered access events now (tests; close() does it too). */
  flushAccessLog(): Promise<void> {
    return this.accessLog.flush();
  }
  onOutboxWrite(listener: () => void): () => void {
    return this.ctx.onOutboxWrite(listener);
  }
  acquireLease(name: string, holder: string, ttlMs: number): boolean {
    return this.ctx.meta.leases.acquire(name, holder, Date.now(), ttlMs);
  }
  releaseLease(name: string, holder: string): void {
    this.ctx.meta.leases.release(name, holder);
  }
}
