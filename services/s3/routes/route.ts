import type { S3Handler } from '../types.js';

export type RouteScope = 'service' | 'bucket' | 'object';

/**
 * One S3 operation in the route table. Sub-resource dispatch (?uploads,
 * ?tagging, x-amz-copy-source, …) is declared here, not in handler `if`s.
 */
export interface Route {
  /** The S3 operation name, as in the AWS API reference (PutObject, ListObjectsV2, …). */
  readonly op: string;
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  readonly scope: RouteScope;
  /** Query parameters that must be present (values ignored unless given as name=value). */
  readonly query?: readonly string[];
  /** A request header that must be present (e.g. x-amz-copy-source). */
  readonly header?: string;
  /** A request Content-Type prefix that must match (POST Object's multipart/form-data). */
  readonly contentType?: string;
  /** Anonymous requests allowed (the handler authenticates itself, e.g. POST policy). */
  readonly selfAuthenticated?: boolean;
  readonly handler: S3Handler;
}
