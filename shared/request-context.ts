/**
 * Who made a change and from where, carried from the HTTP request down to the
 * store's outbox without threading it through every handler and store call:
 * the S3 server runs each handler inside `runInRequest`, and the store reads
 * `currentOrigin()` when it writes an event.
 * https://nodejs.org/api/async_context.html#class-asynclocalstorage
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomFillSync } from 'node:crypto';
import type { RequestOrigin } from './events.js';

/** A request's origin plus the S3 operation it runs (e.g. "GetObject"). */
export interface RequestScope extends RequestOrigin {
  /** Route name of the S3 operation; the store records GET/HEAD access events by it. */
  readonly operation?: string;
}

interface Holder {
  scope: RequestScope;
}

const storage = new AsyncLocalStorage<Holder>();

const REQUEST_ID_BYTES = 8;
/**
 * Random bytes for request ids, filled in blocks: one getrandom() per 512 ids
 * instead of one per request, which showed in the profile of small requests.
 */
const idPool = Buffer.allocUnsafe(REQUEST_ID_BYTES * 512);
let idOffset = idPool.length;

/** A fresh request id: 16 upper-case hex digits (64 random bits), S3's x-amz-request-id form. */
export function newRequestId(): string {
  if (idOffset === idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  const id = idPool.toString('hex', idOffset, idOffset + REQUEST_ID_BYTES).toUpperCase();
  idOffset += REQUEST_ID_BYTES;
  return id;
}

/** Principal and address of changes made outside any request (CLI, tests, background jobs). */
export const SYSTEM_PRINCIPAL = 'strata';
export const SYSTEM_SOURCE_IP = '127.0.0.1';

/** Runs `fn` (and everything it awaits) as part of the request described by `scope`. */
export function runInRequest<T>(scope: RequestScope, fn: () => T): T {
  return storage.run({ scope }, fn);
}

/**
 * Changes the principal of the current request, for routes that authenticate
 * inside the handler (POST Object: the signed policy names the user). No-op
 * outside a request.
 */
export function setRequestPrincipal(principalId: string): void {
  const h = storage.getStore();
  if (h) h.scope = { ...h.scope, principalId };
}

/**
 * `fn`, to be called later from any context (a batch of commits that another
 * request flushes), running in the request that is current now, or outside
 * any request when none is. Cheaper than AsyncResource.bind, whose bound
 * functions define deprecated accessors each time (it showed in the profile of
 * small PUTs).
 */
export function bindToRequest<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const holder = storage.getStore();
  if (holder === undefined) return (...args) => storage.exit(() => fn(...args));
  return (...args) => storage.run(holder, () => fn(...args));
}

/** The current request's scope, or undefined outside a request. */
export function currentScope(): RequestScope | undefined {
  return storage.getStore()?.scope;
}

/** The current request's origin; outside a request: the system principal and a fresh request id. */
export function currentOrigin(): RequestOrigin {
  const s = storage.getStore()?.scope;
  if (s) return { requestId: s.requestId, principalId: s.principalId, sourceIp: s.sourceIp };
  return {
    requestId: newRequestId(),
    principalId: SYSTEM_PRINCIPAL,
    sourceIp: SYSTEM_SOURCE_IP,
  };
}

/** The client's address as S3 reports it: IPv4-mapped IPv6 addresses in dotted form. */
export function clientAddress(remote: string | undefined): string {
  if (remote === undefined) return SYSTEM_SOURCE_IP;
  return remote.startsWith('::ffff:') ? remote.slice(7) : remote;
}
