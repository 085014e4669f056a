/**
 * What every resolver gets: the authenticated caller, the store and the
 * services behind it, and where the request came in (for presigned URLs).
 */
import type { Config } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import type { ObjectStore, User } from '../services/store/types.js';
import type { EventHub } from './events/event-hub.js';
import type { JobsSource } from './jobs/jobs-source.js';

/** Where the client reached this server (scheme and Host header), for URLs handed back to it. */
export interface PublicEndpoint {
  /** "http" or "https". */
  readonly protocol: string;
  /** The Host header ("s3.example.com:9000"). */
  readonly host: string;
}

/** Per-process services, shared by every request. */
export interface GraphqlServices {
  readonly store: ObjectStore;
  readonly config: Config;
  readonly log: Logger;
  readonly events: EventHub;
  /** Undefined when this process has no job bus to read (no queues are registered). */
  readonly jobs: JobsSource | undefined;
}

/** Per-request values the HTTP and WebSocket front ends put into the context. */
export interface GraphqlRequestInfo {
  readonly user: User;
  readonly origin: PublicEndpoint;
  readonly requestId: string;
  readonly sourceIp: string;
}

export interface GraphqlContext extends GraphqlServices, GraphqlRequestInfo {}
