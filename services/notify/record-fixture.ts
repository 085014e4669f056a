/** An S3 event record for the notification tests: the fields they vary, the rest fixed. */
import { encodeEventKey, type S3EventRecord } from '../../shared/events.js';

export interface TestRecordFields {
  readonly key: string;
  readonly eventName?: string;
  readonly bucket?: string;
  readonly sequencer?: string;
  readonly configurationId?: string;
}

export function testRecord(f: TestRecordFields): S3EventRecord {
  const bucket = f.bucket ?? 'b';
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: new Date(0).toISOString(),
    eventName: f.eventName ?? 'ObjectCreated:Put',
    userIdentity: { principalId: 'p' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': 'r', 'x-amz-id-2': 'r' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: f.configurationId ?? '',
      bucket: { name: bucket, ownerIdentity: { principalId: 'p' }, arn: `arn:aws:s3:::${bucket}` },
      object: { key: encodeEventKey(f.key), sequencer: f.sequencer ?? '01' },
    },
  };
}
