/**
 * Small tools for end-to-end tests that drive the real S3 client: the S3
 * error a request fails with, sending a hand-written body, and seeing the raw
 * response headers of a command.
 */
import assert from 'node:assert/strict';

export interface SeenError {
  readonly code: string;
  readonly status: number | undefined;
  readonly message: string;
}

/** The S3 error a request fails with (fails the test if it succeeds). */
export async function s3Error(p: Promise<unknown>): Promise<SeenError> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { code: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  assert.fail('expected the request to fail');
}

interface MiddlewareArgs {
  request: { body: unknown; headers: Record<string, string> };
}
interface StackLike {
  add(
    mw: (next: (a: MiddlewareArgs) => Promise<unknown>) => (a: MiddlewareArgs) => Promise<unknown>,
    o: object,
  ): void;
}

/** Sends `body` instead of what the SDK serialized (still signed and checksummed by the SDK). */
export function withBody<C extends { middlewareStack: object }>(command: C, body: string): C {
  (command.middlewareStack as StackLike).add(
    (next) => async (args) => {
      args.request.body = body;
      delete args.request.headers['content-length'];
      delete args.request.headers['content-md5'];
      return next(args);
    },
    { step: 'build', priority: 'high' },
  );
  return command;
}

/** Adds request headers to the command and records the raw response headers in `seen`. */
export function withHeaders<C extends { middlewareStack: object }>(
  command: C,
  headers: Record<string, string>,
  seen: { headers?: Record<string, string> },
): C {
  const stack = command.middlewareStack as StackLike;
  stack.add(
    (next) => async (args) => {
      Object.assign(args.request.headers, headers);
      return next(args);
    },
    { step: 'build' },
  );
  stack.add(
    (next) => async (args) => {
      const out = (await next(args)) as { response: { headers: Record<string, string> } };
      seen.headers = out.response.headers;
      return out;
    },
    { step: 'deserialize', priority: 'low' },
  );
  return command;
}

/** Sends the command without Content-MD5 or any x-amz-checksum header (S3 requires one on some operations). */
export function withoutChecksum<C extends { middlewareStack: object }>(command: C): C {
  (command.middlewareStack as StackLike).add(
    (next) => async (args) => {
      for (const name of Object.keys(args.request.headers)) {
        if (/^(content-md5|x-amz-checksum-.*|x-amz-sdk-checksum-algorithm|x-amz-trailer)$/i.test(name)) {
          delete args.request.headers[name];
        }
      }
      return next(args);
    },
    { step: 'build', priority: 'low' },
  );
  return command;
}
