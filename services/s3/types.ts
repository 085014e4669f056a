/**
 * The contract between the S3 HTTP server and the per-operation handlers in
 * commands/. A handler parses its request, makes one store call and returns
 * status, headers and body; it never writes to the socket itself.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Config } from '../../shared/config.js';
import type { Logger } from '../../shared/logger.js';
import type { Bucket, ObjectStore, User } from '../store/types.js';
import type { SelectScanKind } from '../select/run-select.js';
import type { ScanPool } from '../select/parallel/scan-pool.js';

export interface S3Request {
  readonly method: string;
  /** Bucket from the path or the Host header; undefined for service-level requests. */
  readonly bucket: string | undefined;
  /** Decoded object key; undefined for service- and bucket-level requests. */
  readonly key: string | undefined;
  readonly query: URLSearchParams;
  /** Lower-case header names, as node gives them. */
  readonly headers: IncomingHttpHeaders;
  /** Authenticated caller. */
  readonly user: User;
  /**
   * The request's bucket, already checked to exist and to be usable by `user`
   * (undefined for service-level requests, CreateBucket and self-authenticated routes).
   */
  readonly bucketInfo: Bucket | undefined;
  /**
   * The payload: aws-chunked framing removed and the signature / sha256 verified
   * as it streams (an error is emitted on the stream when a check fails).
   */
  readonly body: Readable;
  /** Decoded payload length when known (x-amz-decoded-content-length or Content-Length). */
  readonly contentLength: number | undefined;
  /** Trailing headers of an aws-chunked body (x-amz-checksum-*), available after body ends. */
  readonly trailers: () => Readonly<Record<string, string>>;
  readonly requestId: string;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  readonly raw: IncomingMessage;
}

export interface S3Response {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | number | readonly string[] | undefined>>;
  /** A string or Buffer is sent whole; a Readable is piped. */
  readonly body?: string | Buffer | Readable;
}

export interface S3Context {
  readonly store: ObjectStore;
  readonly config: Config;
  readonly log: Logger;
  /** Worker threads of large S3 Select scans (services/select/parallel); none = sequential. */
  readonly selectScanPool?: ScanPool;
  /** Told how each S3 Select scan ran (metrics). */
  readonly onSelectScan?: (scan: SelectScanKind) => void;
}

export type S3Handler = (req: S3Request, ctx: S3Context) => Promise<S3Response>;
