/**
 * Event types a notification configuration may name, as S3 lists them:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
 * plus s3:ObjectAccessed:* (Get, Head), which Strata emits as MinIO does and
 * S3 does not. A name ending in ":*" stands for every event of its family.
 */
export const NOTIFICATION_EVENT_NAMES: ReadonlySet<string> = new Set([
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:Replication:OperationNotTracked',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
  's3:ObjectAccessed:*',
  's3:ObjectAccessed:Get',
  's3:ObjectAccessed:Head',
]);

export function isNotificationEventName(name: string): boolean {
  return NOTIFICATION_EVENT_NAMES.has(name);
}

/** Whether `pattern` (a configured name, maybe "family:*") covers the event `name` ("s3:…"). */
export function eventNameCovers(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  return pattern.endsWith(':*') && name.startsWith(pattern.slice(0, -1));
}

/** Whether some event is covered by both patterns (one covers the other). */
export function eventNamesOverlap(a: string, b: string): boolean {
  return eventNameCovers(a, b) || eventNameCovers(b, a);
}
