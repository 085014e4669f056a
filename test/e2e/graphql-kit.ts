/**
 * Talking to /_strata/graphql from end-to-end tests as clients do: fetch with
 * Basic credentials or a session cookie, GraphQL over SSE read from the
 * response stream, and graphql-ws over a real WebSocket.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { S3EventRecord, StrataEvent } from '../../shared/events.js';
import { encodeEventKey } from '../../shared/events.js';

export interface GqlAuth {
  readonly accessKey?: string;
  readonly secretKey?: string;
  /** A Cookie header value ("strata_session=…"). */
  readonly cookie?: string;
}

export interface GqlError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string; readonly status?: number; readonly [k: string]: unknown };
}

export interface GqlResult<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly data?: T | null;
  readonly errors?: readonly GqlError[];
}

export function basic(accessKey: string, secretKey: string): string {
  return 'Basic ' + Buffer.from(`${accessKey}:${secretKey}`).toString('base64');
}

export function authHeaders(auth: GqlAuth): Record<string, string> {
  if (auth.cookie !== undefined) return { cookie: auth.cookie };
  if (auth.accessKey !== undefined && auth.secretKey !== undefined) {
    return { authorization: basic(auth.accessKey, auth.secretKey) };
  }
  return {};
}

/** POSTs one GraphQL operation and returns status, data and errors. */
export async function gql<T = Record<string, unknown>>(
  endpoint: string,
  auth: GqlAuth,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlResult<T>> {
  const res = await fetch(`${endpoint}/_strata/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders(auth) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  const body = (text === '' ? {} : JSON.parse(text)) as { data?: T | null; errors?: GqlError[] };
  return { status: res.status, headers: res.headers, data: body.data, errors: body.errors };
}

/** Like gql, but fails the test on any error and returns the data. */
export async function gqlData<T = Record<string, unknown>>(
  endpoint: string,
  auth: GqlAuth,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const r = await gql<T>(endpoint, auth, query, variables);
  assert.equal(r.status, 200, JSON.stringify(r.errors));
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data as T;
}

/** The extensions.code of the first error (fails the test when there is none). */
export function errorCode(r: GqlResult<unknown>): string | undefined {
  assert.ok(r.errors && r.errors.length > 0, `expected an error, got ${JSON.stringify(r.data)}`);
  return r.errors[0]!.extensions?.code;
}

/** POST /_strata/login with JSON; returns the Cookie header value to send back. */
export async function login(endpoint: string, accessKey: string, secretKey: string): Promise<string> {
  const res = await fetch(`${endpoint}/_strata/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accessKey, secretKey }),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const setCookie = res.headers.get('set-cookie');
  assert.ok(setCookie, 'login sets a cookie');
  return setCookie.split(';')[0]!;
}

/** An Error's message, or a WebSocket CloseEvent's code and reason. */
function describe(failure: unknown): string {
  if (failure === undefined) return 'completed';
  if (failure instanceof Error) return failure.message;
  if (typeof failure === 'object' && failure !== null && 'code' in failure) {
    const c = failure as { code: unknown; reason?: unknown };
    return `closed ${String(c.code)} ${String(c.reason ?? '')}`;
  }
  return String(failure);
}

/** Values pushed by a subscription, pulled with a deadline. */
class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: (() => void)[] = [];
  ended = false;
  failure: unknown;

  push(v: T): void {
    this.items.push(v);
    for (const w of this.waiters.splice(0)) w();
  }

  end(failure?: unknown): void {
    this.ended = true;
    this.failure = failure;
    for (const w of this.waiters.splice(0)) w();
  }

  async next(timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = this.items.shift();
      if (v !== undefined) return v;
      if (this.ended)
        throw new Error(`subscription ended while waiting for ${what}: ${describe(this.failure)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Everything received so far, without waiting. */
  drain(): T[] {
    return this.items.splice(0);
  }
}

/** One GraphQL execution result as a subscription delivers it. */
export interface Payload<T = Record<string, unknown>> {
  readonly data?: T | null;
  readonly errors?: readonly GqlError[];
}

export interface Subscription<T = Record<string, unknown>> {
  /** The next result (with a deadline). */
  next(timeoutMs?: number, what?: string): Promise<Payload<T>>;
  /** Results received and not read yet. */
  drain(): Payload<T>[];
  /** True once the server completed the stream. */
  readonly ended: boolean;
  close(): Promise<void>;
}

/**
 * A subscription over GraphQL over SSE (yoga's "distinct connections" mode):
 * POST with Accept: text/event-stream, then "event: next" / "event: complete"
 * messages. Resolves once the response headers arrived, which yoga sends
 * after the subscription is registered.
 */
export async function sseSubscribe<T = Record<string, unknown>>(
  endpoint: string,
  auth: GqlAuth,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Subscription<T> & { readonly status: number; readonly contentType: string | null }> {
  const abort = new AbortController();
  const res = await fetch(`${endpoint}/_strata/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...authHeaders(auth) },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  const inbox = new Inbox<Payload<T>>();
  const reading = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = 'message';
        let data = '';
        for (const line of message.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data += line.slice(5).trim();
        }
        if (event === 'next' && data !== '') inbox.push(JSON.parse(data) as Payload<T>);
        if (event === 'complete') inbox.end();
      }
    }
    inbox.end();
  })().catch((e: unknown) => inbox.end(e));
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    next: (timeoutMs = 10_000, what = 'an SSE event') => inbox.next(timeoutMs, what),
    drain: () => inbox.drain(),
    get ended() {
      return inbox.ended;
    },
    async close() {
      abort.abort();
      await reading;
    },
  };
}

/** A graphql-ws client on a real WebSocket, authenticated by header (or by connectionParams). */
export function wsClient(
  endpoint: string,
  auth: GqlAuth,
  opts: { viaConnectionParams?: boolean } = {},
): Client {
  const headers = authHeaders(auth);
  class HeaderSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: opts.viaConnectionParams ? {} : headers });
    }
  }
  return createClient({
    url: `${endpoint.replace(/^http/, 'ws')}/_strata/graphql`,
    webSocketImpl: HeaderSocket,
    connectionParams: opts.viaConnectionParams ? { authorization: headers['authorization'] } : undefined,
    retryAttempts: 0,
    lazy: true,
  });
}

/** A subscription over an existing graphql-ws client. */
export function wsSubscribe<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Subscription<T> {
  const inbox = new Inbox<Payload<T>>();
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (v) => inbox.push(v as Payload<T>),
      error: (e) => inbox.end(e),
      complete: () => inbox.end(),
    },
  );
  return {
    next: (timeoutMs = 10_000, what = 'a WebSocket event') => inbox.next(timeoutMs, what),
    drain: () => inbox.drain(),
    get ended() {
      return inbox.ended;
    },
    async close() {
      stop();
    },
  };
}

/** An S3 event record as the store writes it, for publishing by hand. */
export function eventRecord(opts: {
  bucket: string;
  key: string;
  eventName?: string;
  size?: number;
  versionId?: string;
}): S3EventRecord {
  const id = randomUUID().replace(/-/g, '').toUpperCase().slice(0, 16);
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: new Date().toISOString(),
    eventName: opts.eventName ?? 'ObjectCreated:Put',
    userIdentity: { principalId: 'test' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': id, 'x-amz-id-2': id },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: '',
      bucket: {
        name: opts.bucket,
        ownerIdentity: { principalId: 'test' },
        arn: `arn:aws:s3:::${opts.bucket}`,
      },
      object: {
        key: encodeEventKey(opts.key),
        size: opts.size ?? 1,
        eTag: 'd41d8cd98f00b204e9800998ecf8427e',
        ...(opts.versionId === undefined ? {} : { versionId: opts.versionId }),
        sequencer: id,
      },
    },
  };
}

export function strataEvent(id: number, record: S3EventRecord): StrataEvent {
  return { id, record };
}
