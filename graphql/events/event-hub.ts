/**
 * One Redis pub/sub subscriber per process, fanned out in-process to the
 * subscriptions of this process. The relay of every gateway publishes each
 * event on the same channel, so a subscriber here sees the events of all of
 * them. A re-published event (relay restarted before marking its rows sent)
 * is dropped by its identity.
 */
import type { Redis } from 'ioredis';
import { errors, isS3Error } from '../../shared/errors.js';
import type { StrataEvent } from '../../shared/events.js';
import type { Logger } from '../../shared/logger.js';
import { eventIdentity, parseStrataEvent } from './object-event.js';

export type EventListener = (e: StrataEvent) => void;

export interface EventHub {
  /** Resolves once the channel is subscribed; ServiceUnavailable when that takes longer than `timeoutMs`. */
  whenSubscribed(timeoutMs?: number): Promise<void>;
  /** Calls `onEvent` for every new event, `onEnd` when the hub closes; returns the unsubscribe function. */
  listen(onEvent: EventListener, onEnd: () => void): () => void;
  /** Number of in-process listeners (for tests and metrics). */
  readonly listenerCount: number;
  close(): Promise<void>;
}

export interface EventHubOptions {
  /** The pub/sub channel the relay publishes on. */
  readonly channel: string;
  /**
   * Makes the hub's own connection (a subscribed Redis connection can do
   * nothing else), one that resubscribes after reconnecting and has an
   * 'error' listener (shared/bus/redis.ts makes such). Called on the first
   * subscription, so a process nobody subscribes on never connects; the hub
   * closes it.
   */
  readonly connect: () => Redis;
  readonly log: Logger;
  /** How many recent event identities are remembered for dropping duplicates. */
  readonly dedupWindow?: number;
}

interface Listener {
  readonly onEvent: EventListener;
  readonly onEnd: () => void;
}

export function createEventHub(opts: EventHubOptions): EventHub {
  const { log, channel } = opts;
  const window = opts.dedupWindow ?? 10_000;
  const recent = new Set<string>();
  const listeners = new Set<Listener>();
  let closed = false;

  let subscriber: Redis | undefined;
  let subscribed: Promise<void> | undefined;

  function onMessage(ch: string, message: string): void {
    if (ch !== channel) return;
    const event = parseStrataEvent(message);
    if (!event) {
      log.warn('graphql events: dropped a malformed message', { channel });
      return;
    }
    const identity = eventIdentity(event);
    if (recent.has(identity)) return;
    recent.add(identity);
    if (recent.size > window) recent.delete(recent.values().next().value as string);
    for (const l of listeners) {
      try {
        l.onEvent(event);
      } catch (e) {
        log.error('graphql events: listener failed', { err: e });
      }
    }
  }

  function subscribe(): Promise<void> {
    if (subscribed) return subscribed;
    const redis = opts.connect();
    subscriber = redis;
    redis.on('message', onMessage);
    subscribed = redis.subscribe(channel).then(() => undefined);
    // Kept from turning into an unhandled rejection; whenSubscribed reports it.
    subscribed.catch(() => undefined);
    return subscribed;
  }

  return {
    async whenSubscribed(timeoutMs = 5000) {
      if (closed) throw errors.make('ServiceUnavailable', 'The event stream is shutting down.');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              errors.make(
                'ServiceUnavailable',
                'The event stream is not available (Redis cannot be reached).',
              ),
            ),
          timeoutMs,
        );
      });
      try {
        await Promise.race([subscribe(), timeout]);
      } catch (e) {
        throw isS3Error(e) ? e : errors.make('ServiceUnavailable', 'The event stream is not available.');
      } finally {
        clearTimeout(timer);
      }
    },
    listen(onEvent, onEnd) {
      const l: Listener = { onEvent, onEnd };
      if (closed) {
        onEnd();
        return () => undefined;
      }
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
    get listenerCount() {
      return listeners.size;
    },
    async close() {
      if (closed) return;
      closed = true;
      const ending = [...listeners];
      listeners.clear();
      for (const l of ending) {
        try {
          l.onEnd();
        } catch (e) {
          log.error('graphql events: ending a listener failed', { err: e });
        }
      }
      subscriber?.disconnect();
    },
  };
}
