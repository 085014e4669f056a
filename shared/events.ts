/**
 * Object events in the S3 event-notification shape, so tools written for S3
 * events work unchanged:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 * The store writes one into its outbox in the same transaction as the change;
 * the relay carries it to the job bus and to GraphQL subscribers.
 */

/** Event names Strata emits (S3's names). */
export type S3EventName =
  | 's3:ObjectCreated:Put'
  | 's3:ObjectCreated:Post'
  | 's3:ObjectCreated:Copy'
  | 's3:ObjectCreated:CompleteMultipartUpload'
  | 's3:ObjectRemoved:Delete'
  | 's3:ObjectRemoved:DeleteMarkerCreated'
  | 's3:ObjectTagging:Put'
  | 's3:ObjectTagging:Delete'
  | 's3:ObjectRestore:Post'
  | 's3:ObjectRestore:Completed'
  | 's3:ObjectAccessed:Get'
  | 's3:ObjectAccessed:Head';

export interface S3EventRecord {
  readonly eventVersion: '2.1';
  readonly eventSource: 'aws:s3';
  readonly awsRegion: string;
  /** ISO-8601 time of the change. */
  readonly eventTime: string;
  /** Without the "s3:" prefix, as S3 writes it in records (e.g. "ObjectCreated:Put"). */
  readonly eventName: string;
  readonly userIdentity: { readonly principalId: string };
  readonly requestParameters: { readonly sourceIPAddress: string };
  readonly responseElements: { readonly 'x-amz-request-id': string; readonly 'x-amz-id-2': string };
  readonly s3: {
    readonly s3SchemaVersion: '1.0';
    /** Id of the notification configuration that matched (empty before matching). */
    readonly configurationId: string;
    readonly bucket: {
      readonly name: string;
      readonly ownerIdentity: { readonly principalId: string };
      readonly arn: string;
    };
    readonly object: {
      /** URL-encoded, as S3 sends it. */
      readonly key: string;
      readonly size?: number;
      /** Without quotes. */
      readonly eTag?: string;
      readonly versionId?: string;
      /** Hex string that orders events for the same key. */
      readonly sequencer: string;
    };
  };
}

/** An event as it travels: the outbox row id (monotonic) and the S3 record. */
export interface StrataEvent {
  readonly id: number;
  readonly record: S3EventRecord;
}

/** Who made a change and from where, carried from the request into the event. */
export interface RequestOrigin {
  readonly requestId: string;
  readonly principalId: string;
  readonly sourceIp: string;
}

/**
 * S3 keys in event records are URL-encoded like form values (space → '+'),
 * with '/' left as it is: "photos/my cat.jpg" arrives as "photos/my+cat.jpg".
 */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/')
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}
