/**
 * How errors reach GraphQL clients: an S3Error keeps its S3 code and message
 * (extensions.code, plus extensions.status, the HTTP status S3 would answer);
 * anything else is masked as InternalError with an errorId, and only the log
 * (under the same errorId) sees the original. Resolver errors leave the HTTP status at 200, as
 * GraphQL over HTTP expects, so partial data still reaches the client.
 * https://the-guild.dev/graphql/yoga-server/docs/features/error-masking
 */
import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { S3Error } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';

/** The S3Error behind a (possibly wrapped) resolver error. */
function s3ErrorOf(e: unknown): S3Error | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur !== undefined && cur !== null; depth++) {
    if (cur instanceof S3Error) return cur;
    cur = cur instanceof GraphQLError ? cur.originalError : undefined;
  }
  return undefined;
}

function locationOf(e: unknown): Pick<GraphQLError, 'nodes' | 'path' | 'source' | 'positions'> | undefined {
  return e instanceof GraphQLError ? e : undefined;
}

export function s3GraphQLError(err: S3Error, at?: unknown): GraphQLError {
  const loc = locationOf(at);
  const details: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(err.details)) if (v !== undefined) details[k] = v;
  return new GraphQLError(err.message, {
    nodes: loc?.nodes,
    path: loc?.path,
    source: loc?.source,
    positions: loc?.positions,
    extensions: {
      code: err.code,
      status: err.status,
      ...(Object.keys(details).length > 0 ? { details } : {}),
    },
  });
}

/** A GraphQLError made by GraphQL itself or on purpose (syntax, validation, scalar parsing), not wrapping a thrown error. */
function isOwnGraphQLError(e: unknown): boolean {
  if (!(e instanceof GraphQLError)) return false;
  return e.originalError === undefined || e.originalError === null || isOwnGraphQLError(e.originalError);
}

/**
 * yoga's maskError: keeps GraphQL's own errors (syntax, validation, bad
 * variables) and S3 errors (their messages come from the error table or are
 * written for clients, e.g. ServiceUnavailable); masks everything else. A masked error
 * carries an errorId that is also in the log line with the real cause.
 */
export function createErrorMasker(log: Logger) {
  return (error: unknown, _message: string): Error => {
    const s3 = s3ErrorOf(error);
    if (s3 !== undefined && s3.code !== 'InternalError') return s3GraphQLError(s3, error);
    if (s3 === undefined && isOwnGraphQLError(error)) return error as GraphQLError;
    const errorId = randomBytes(8).toString('hex').toUpperCase();
    const original = s3?.cause ?? (error instanceof GraphQLError ? (error.originalError ?? error) : error);
    log.error('graphql request failed', { errorId, err: original });
    const masked = new S3Error('InternalError');
    const loc = locationOf(error);
    return new GraphQLError(masked.message, {
      nodes: loc?.nodes,
      path: loc?.path,
      source: loc?.source,
      positions: loc?.positions,
      extensions: {
        code: masked.code,
        status: masked.status,
        errorId,
      },
    });
  };
}
