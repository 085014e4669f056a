/**
 * The store's interface: the only way S3 handlers, GraphQL resolvers and
 * workers reach metadata and object bodies (MinIO calls its equivalent the
 * ObjectLayer). Nothing above this file sees SQL or file paths.
 */
import type { Readable } from 'node:stream';
import type { StrataEvent } from '../../shared/events.js';
import type {
  CompletePart,
  ListPartsResult,
  ListUploadsOptions,
  ListUploadsResult,
  MultipartUpload,
  UploadedPart,
} from './multipart-types.js';

export type * from './multipart-types.js';

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256';

export interface User {
  readonly accessKey: string;
  readonly secretKey: string;
  /** Canonical user id shown as Owner/ID (64 hex chars, like S3's). */
  readonly id: string;
  readonly displayName: string;
  readonly isRoot: boolean;
  readonly createdAt: Date;
}

export type VersioningStatus = 'Enabled' | 'Suspended' | undefined;

export interface Bucket {
  readonly name: string;
  readonly ownerId: string;
  readonly ownerName: string;
  readonly region: string;
  readonly createdAt: Date;
  readonly versioning: VersioningStatus;
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface CorsRule {
  readonly id?: string;
  readonly allowedMethods: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds?: number;
}

/**
 * One rule of a bucket's notification configuration: S3's QueueConfiguration,
 * TopicConfiguration or CloudFunctionConfiguration.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_NotificationConfiguration.html
 */
export interface NotificationRule {
  readonly id: string;
  /** The element it came from, which names the destination kind. */
  readonly kind: 'Queue' | 'Topic' | 'CloudFunction';
  readonly arn: string;
  /** Event names as given, wildcards included ("s3:ObjectCreated:*"). */
  readonly events: readonly string[];
  /** Key filter rules as given (S3 writes the values URL-encoded, "+" for a space). */
  readonly filterRules: readonly { readonly name: 'Prefix' | 'Suffix'; readonly value: string }[];
}

export interface NotificationConfiguration {
  readonly rules: readonly NotificationRule[];
}

/** Headers S3 stores with an object and returns on GET/HEAD. */
export interface ObjectHttpHeaders {
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  readonly expires?: string;
}

/** One stored piece of an object's body; a multipart object has one per part. */
export interface ObjectPart {
  readonly partNumber: number;
  readonly size: number;
  readonly etag: string;
  readonly checksum?: string;
}

export interface ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  /** "null" for the null version of unversioned / suspended buckets. */
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly isDeleteMarker: boolean;
  readonly size: number;
  /** Quoted, as S3 sends it: "\"d41d8…\"" or "\"…-3\"" for multipart. */
  readonly etag: string;
  readonly lastModified: Date;
  readonly storageClass: string;
  readonly headers: ObjectHttpHeaders;
  /** x-amz-meta-* without the prefix, names lower-cased. */
  readonly userMetadata: Readonly<Record<string, string>>;
  readonly tags: readonly Tag[];
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  /** Base64 checksum of the whole object; for multipart "<base64>-N" (COMPOSITE). */
  readonly checksum?: string;
  /** Present for multipart objects: the parts in order. */
  readonly parts?: readonly ObjectPart[];
  readonly ownerId: string;
  readonly ownerName: string;
  /** The store's own pointer to the body (opaque to every caller). */
  readonly bodyRef: string;
}

export interface ByteRange {
  /** Inclusive start and end, already resolved against the object size. */
  readonly start: number;
  readonly end: number;
}

export interface ReadOptions {
  readonly versionId?: string;
  readonly signal?: AbortSignal;
}

export interface PutObjectOptions {
  readonly headers?: ObjectHttpHeaders;
  readonly userMetadata?: Readonly<Record<string, string>>;
  readonly tags?: readonly Tag[];
  readonly storageClass?: string;
  /** Expected size (Content-Length); a body of another length is IncompleteBody. */
  readonly contentLength?: number;
  /** Base64 MD5 from Content-MD5: BadDigest when it differs. */
  readonly contentMd5?: string;
  /** Checksum the client asked for; value given means verify (BadDigest). */
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  readonly checksumValue?: string;
  /**
   * Resolves to the checksum value sent in an aws-chunked trailer, read after the
   * body ends; verified like checksumValue.
   */
  readonly trailingChecksum?: () => string | undefined;
  /** Conditional write: If-None-Match: * (fail if the key exists). */
  readonly ifNoneMatch?: string;
  readonly ifMatch?: string;
  readonly signal?: AbortSignal;
  readonly maxSize?: number;
  /** Event written for this PUT (default s3:ObjectCreated:Put; POST Object form uploads: :Post). */
  readonly eventName?: 's3:ObjectCreated:Put' | 's3:ObjectCreated:Post';
}

export interface ListObjectsOptions {
  readonly prefix?: string;
  readonly delimiter?: string;
  /** Exclusive: keys strictly after this one (marker / start-after / continuation). */
  readonly after?: string;
  readonly maxKeys: number;
}

export interface ListObjectsResult {
  readonly objects: readonly ObjectVersion[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  /** The last key or common prefix returned: where the next page starts after. */
  readonly nextAfter?: string;
}

export interface ListVersionsOptions {
  readonly prefix?: string;
  readonly delimiter?: string;
  readonly keyMarker?: string;
  readonly versionIdMarker?: string;
  readonly maxKeys: number;
}

export interface ListVersionsResult {
  /** Versions and delete markers, keys ascending, newest version first per key. */
  readonly versions: readonly ObjectVersion[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  readonly nextKeyMarker?: string;
  readonly nextVersionIdMarker?: string;
}

export interface DeleteResult {
  readonly versionId?: string;
  readonly deleteMarker: boolean;
}

export interface CopyObjectOptions {
  readonly sourceVersionId?: string;
  /** 'COPY' keeps the source's metadata; 'REPLACE' uses the given one. */
  readonly metadataDirective: 'COPY' | 'REPLACE';
  readonly taggingDirective: 'COPY' | 'REPLACE';
  readonly headers?: ObjectHttpHeaders;
  readonly userMetadata?: Readonly<Record<string, string>>;
  readonly tags?: readonly Tag[];
  readonly storageClass?: string;
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  /** Evaluated against the source version inside the store (x-amz-copy-source-if-*). */
  readonly sourceCondition?: (source: ObjectVersion) => void;
  readonly signal?: AbortSignal;
}

/** An opened object: its metadata, and a body stream that keeps reading this version. */
export interface OpenedObject {
  readonly version: ObjectVersion;
  readonly body: Readable;
}

/**
 * A version's body opened for positional reads (S3 Select's Parquet reader:
 * footer first, then column chunks), once per query instead of once per
 * range. Like a body stream, it keeps reading the version it opened even
 * if that version is overwritten or deleted meanwhile, until close().
 */
export interface RandomAccessBody {
  readonly size: number;
  /** Bytes [start, endExclusive) of the body; rejects a range outside [0, size] and reads after close(). */
  read(start: number, endExclusive: number): Promise<Buffer>;
  /** Closes what the reads opened and lets the version's bytes go (safe to call more than once). */
  close(): Promise<void>;
}

export interface ObjectStore {
  ready(): Promise<void>;
  /** Closes the store, once the changes made so far are durable. */
  close(): Promise<void>;
  /**
   * Resolves once every change committed so far survives power loss. Changes
   * are visible as soon as they commit; acknowledge one to a client only
   * after this (the S3 server, GraphQL mutations and the relay do).
   */
  durable(): Promise<void>;

  // users
  ensureRootUser(accessKey: string, secretKey: string): User;
  createUser(name: string, accessKey: string, secretKey: string): User;
  listUsers(): User[];
  removeUser(accessKeyOrName: string): boolean;
  findUser(accessKey: string): User | undefined;

  // buckets
  createBucket(name: string, owner: User, region: string): Bucket;
  getBucket(name: string): Bucket | undefined;
  listBuckets(owner: User): Bucket[];
  deleteBucket(name: string): void;
  setBucketVersioning(name: string, status: 'Enabled' | 'Suspended'): void;
  getBucketTagging(name: string): Tag[] | undefined;
  putBucketTagging(name: string, tags: readonly Tag[] | undefined): void;
  getBucketCors(name: string): CorsRule[] | undefined;
  putBucketCors(name: string, rules: readonly CorsRule[] | undefined): void;
  /** The bucket's notification rules (none: empty); NoSuchBucket when it does not exist. */
  getBucketNotification(name: string): NotificationConfiguration;
  /** Replaces the notification rules; an empty list removes them all. */
  putBucketNotification(name: string, config: NotificationConfiguration): void;

  // objects
  putObject(bucket: string, key: string, body: Readable, opts: PutObjectOptions): Promise<ObjectVersion>;
  /** Metadata of a version; NoSuchKey / NoSuchVersion (with x-amz-delete-marker) when absent. */
  headObject(bucket: string, key: string, opts?: ReadOptions): ObjectVersion;
  /** Opens the body (optionally a range) for reading; the version stays readable until the stream ends. */
  openObject(version: ObjectVersion, range?: ByteRange, signal?: AbortSignal): Readable;
  /**
   * Gives back a chunk of an openObject() stream once it has been written out
   * and nothing reads it any more, so that the store can read into its memory
   * again (buffer-pool.ts). Optional for consumers: a chunk never given
   * back is garbage like any other; other buffers are ignored.
   */
  recycle(chunk: Buffer): void;
  /**
   * Opens the body for positional reads until close(); reads reject once
   * `signal` aborts. Records no access event (for internal readers).
   */
  openRandomAccess(version: ObjectVersion, signal?: AbortSignal): RandomAccessBody;
  deleteObject(bucket: string, key: string, opts?: { versionId?: string }): DeleteResult;
  copyObject(
    srcBucket: string,
    srcKey: string,
    dstBucket: string,
    dstKey: string,
    opts: CopyObjectOptions,
  ): Promise<{ version: ObjectVersion; sourceVersion: ObjectVersion }>;
  putObjectTagging(bucket: string, key: string, tags: readonly Tag[], versionId?: string): ObjectVersion;
  listObjects(bucket: string, opts: ListObjectsOptions): ListObjectsResult;
  listObjectVersions(bucket: string, opts: ListVersionsOptions): ListVersionsResult;

  // multipart
  createMultipartUpload(
    bucket: string,
    key: string,
    owner: User,
    opts: Omit<PutObjectOptions, 'contentLength' | 'contentMd5' | 'checksumValue' | 'trailingChecksum'>,
  ): MultipartUpload;
  getMultipartUpload(bucket: string, key: string, uploadId: string): MultipartUpload;
  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable,
    opts: PutObjectOptions,
  ): Promise<UploadedPart>;
  uploadPartCopy(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    source: { bucket: string; key: string; versionId?: string; range?: string },
    opts: { sourceCondition?: (source: ObjectVersion) => void; signal?: AbortSignal },
  ): Promise<{ part: UploadedPart; sourceVersion: ObjectVersion }>;
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: readonly CompletePart[],
    opts?: { ifNoneMatch?: string; ifMatch?: string },
  ): ObjectVersion;
  abortMultipartUpload(bucket: string, key: string, uploadId: string): void;
  listParts(
    bucket: string,
    key: string,
    uploadId: string,
    opts: { partNumberMarker?: number; maxParts: number },
  ): ListPartsResult;
  listMultipartUploads(bucket: string, opts: ListUploadsOptions): ListUploadsResult;

  // events: the outbox written in the transaction of each change (services/store/events)
  /** Unsent events with an id above `afterId`, oldest first, at most `limit`. */
  readOutbox(afterId: number, limit: number): StrataEvent[];
  /** Marks every event with an id up to `upToId` as handed to the job bus. */
  markOutboxSent(upToId: number): void;
  outboxStats(): OutboxStats;
  /** Deletes sent events older than `olderThanMs`; returns how many were deleted. */
  pruneOutbox(olderThanMs: number): number;
  /**
   * Buffers an s3:ObjectAccessed:Get / :Head event; buffered events reach the
   * outbox in batches (every ~500 ms or 500 events), never on the read's path.
   * A crash loses what is still buffered (at most ~500 ms of access events).
   */
  recordAccess(version: ObjectVersion, kind: AccessKind): void;
  /** Calls `listener` after every commit that wrote events (the relay's wake-up); returns an unsubscribe. */
  onOutboxWrite(listener: () => void): () => void;
  /** Takes or renews the lease `name` for `ttlMs`; false while another holder's lease is unexpired. */
  acquireLease(name: string, holder: string, ttlMs: number): boolean;
  /** Gives a lease up (no-op unless `holder` holds it). */
  releaseLease(name: string, holder: string): void;
}

export type AccessKind = 'Get' | 'Head';

export interface OutboxStats {
  /** Events written but not yet handed to the job bus. */
  readonly backlog: number;
  /** Age of the oldest of them in milliseconds; undefined when none waits. */
  readonly oldestAgeMs: number | undefined;
  /** Id of the newest event written (0 when none). */
  readonly lastId: number;
}
