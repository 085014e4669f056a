/**
 * Appends an object event to the outbox. Called INSIDE the commit of the
 * change (a savepoint of the group commit), so the change and its event are
 * committed together or not at all: an acknowledged write always has its event.
 */
import type { S3EventName } from '../../../shared/events.js';
import { currentOrigin } from '../../../shared/request-context.js';
import type { StoreContext } from '../store-context.js';
import type { RequestOrigin } from '../../../shared/events.js';
import { requireBucket } from '../version-lookup.js';
import { buildEventRecord, type EventSubject } from './event-record.js';

export interface AppendOptions {
  /** Who and where; defaults to the current request (shared/request-context.ts). */
  readonly origin?: RequestOrigin;
  readonly time?: Date;
}

export function appendEvent(
  ctx: StoreContext,
  name: S3EventName,
  bucketName: string,
  subject: EventSubject,
  opts: AppendOptions = {},
): void {
  const bucket = requireBucket(ctx.meta, bucketName);
  const time = opts.time ?? new Date();
  const record = buildEventRecord({
    name,
    bucket,
    subject,
    origin: opts.origin ?? currentOrigin(),
    region: ctx.region,
    time,
  });
  ctx.meta.outbox.append({
    createdAt: time.getTime(),
    bucket: bucket.name,
    key: subject.key,
    eventName: record.eventName,
    record: JSON.stringify(record),
  });
  ctx.noteEventWritten();
}
