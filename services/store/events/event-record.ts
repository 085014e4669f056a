/**
 * Builds the S3 event-notification record of a change, as S3 writes it:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 * - eventName without the "s3:" prefix ("ObjectCreated:Put");
 * - the key URL-encoded like a form value (space → "+");
 * - eTag without quotes; versionId only for buckets that have (had) versioning;
 * - sequencer: a hex string that orders the events of a key. S3's is opaque;
 *   ours is the outbox id, zero-padded so that string order is number order.
 *   It is filled in when the row is read (the id is known only after insert).
 */
import {
  encodeEventKey,
  type RequestOrigin,
  type S3EventName,
  type S3EventRecord,
} from '../../../shared/events.js';
import { unquote } from '../checksums.js';
import type { Bucket } from '../types.js';

/** What an event says about the object. */
export interface EventSubject {
  readonly key: string;
  readonly versionId: string;
  readonly size?: number;
  /** Quoted or not; written without quotes. */
  readonly etag?: string;
}

export interface EventInput {
  readonly name: S3EventName;
  readonly bucket: Bucket;
  readonly subject: EventSubject;
  readonly origin: RequestOrigin;
  readonly region: string;
  readonly time: Date;
}

export function buildEventRecord(e: EventInput): S3EventRecord {
  const { subject: s } = e;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: e.region,
    eventTime: e.time.toISOString(),
    eventName: e.name.slice('s3:'.length),
    userIdentity: { principalId: e.origin.principalId },
    requestParameters: { sourceIPAddress: e.origin.sourceIp },
    responseElements: { 'x-amz-request-id': e.origin.requestId, 'x-amz-id-2': e.origin.requestId },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: '',
      bucket: {
        name: e.bucket.name,
        ownerIdentity: { principalId: e.bucket.ownerId },
        arn: `arn:aws:s3:::${e.bucket.name}`,
      },
      object: {
        key: encodeEventKey(s.key),
        ...(s.size === undefined ? {} : { size: s.size }),
        ...(s.etag === undefined || s.etag === '' ? {} : { eTag: unquote(s.etag) }),
        ...(e.bucket.versioning === undefined ? {} : { versionId: s.versionId }),
        sequencer: '',
      },
    },
  };
}

/** The sequencer of the event with outbox id `id`: 16 upper-case hex digits. */
export function sequencerOf(id: number): string {
  return id.toString(16).toUpperCase().padStart(16, '0');
}

/** A stored record with its sequencer filled in from the outbox id. */
export function withSequencer(record: S3EventRecord, id: number): S3EventRecord {
  return { ...record, s3: { ...record.s3, object: { ...record.s3.object, sequencer: sequencerOf(id) } } };
}
