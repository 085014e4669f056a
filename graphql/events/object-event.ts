/**
 * A StrataEvent as it travels on the pub/sub channel, checked when it is read
 * (the channel is shared, so a malformed message is dropped, not trusted), and
 * the flat view the ObjectEvent type shows.
 */
import type { S3EventRecord, StrataEvent } from '../../shared/events.js';

export interface ObjectEventView {
  readonly id: string;
  readonly eventName: string;
  readonly eventTime: string;
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
  readonly size: number | null;
  readonly eTag: string | null;
  readonly sequencer: string;
  readonly principalId: string;
  readonly requestId: string;
  readonly record: string;
}

/** Event keys are URL-encoded like form values (space as "+"), see encodeEventKey. */
export function decodeEventKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    return encoded;
  }
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

/** The message as a StrataEvent, or undefined when it does not have the shape. */
export function parseStrataEvent(message: string): StrataEvent | undefined {
  let v: unknown;
  try {
    v = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { id, record } = v as { id?: unknown; record?: unknown };
  if (typeof id !== 'number' && typeof id !== 'string') return undefined;
  if (typeof record !== 'object' || record === null) return undefined;
  const r = record as Partial<S3EventRecord>;
  if (!isString(r.eventName) || !isString(r.eventTime)) return undefined;
  if (!r.s3 || !isString(r.s3.bucket?.name) || !isString(r.s3.object?.key)) return undefined;
  return v as StrataEvent;
}

/**
 * Identity of an event for dropping duplicates: the outbox id names an event
 * within one store; the bucket, key, sequencer and name keep events of two
 * stores sharing a Redis apart, and are the same in a re-published copy.
 */
export function eventIdentity(e: StrataEvent): string {
  const o = e.record.s3.object;
  return `${e.id}\n${e.record.s3.bucket.name}\n${o.key}\n${o.sequencer}\n${e.record.eventName}`;
}

/**
 * The view of an event; `record` (the whole S3 record as JSON) is made only
 * when a subscription selects it, not for every event of every subscription
 * (issue 3, bench:events: the serving thread's cost per subscribed event).
 */
export function objectEventView(e: StrataEvent): ObjectEventView {
  const r = e.record;
  const o = r.s3.object;
  return {
    id: String(e.id),
    eventName: r.eventName,
    eventTime: r.eventTime,
    bucket: r.s3.bucket.name,
    key: decodeEventKey(o.key),
    versionId: o.versionId ?? null,
    size: o.size ?? null,
    eTag: o.eTag ?? null,
    sequencer: o.sequencer ?? '',
    principalId: r.userIdentity?.principalId ?? '',
    requestId: r.responseElements?.['x-amz-request-id'] ?? '',
    get record() {
      return JSON.stringify(r);
    },
  };
}
