/**
 * One table of S3 error codes and one error class, as the AWS ErrorResponses
 * page lists them: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 * Call sites never invent a status or a message: they use the factories below.
 */
import { SELECT_ERRORS } from './select-errors.js';

const CORE_ERRORS = {
  AccessDenied: [403, 'Access Denied'],
  // Not in the ErrorResponses table, but what S3 answers a refused CORS preflight.
  AccessForbidden: [
    403,
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
  ],
  AuthorizationHeaderMalformed: [400, 'The authorization header is malformed.'],
  AuthorizationQueryParametersError: [400, 'Error parsing the X-Amz-Credential parameter.'],
  BadDigest: [400, 'The Content-MD5 you specified did not match what we received.'],
  BadRequest: [400, 'Bad Request'],
  BucketAlreadyExists: [
    409,
    'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
  ],
  BucketAlreadyOwnedByYou: [
    409,
    'Your previous request to create the named bucket succeeded and you already own it.',
  ],
  BucketNotEmpty: [409, 'The bucket you tried to delete is not empty'],
  EntityTooLarge: [400, 'Your proposed upload exceeds the maximum allowed object size.'],
  EntityTooSmall: [400, 'Your proposed upload is smaller than the minimum allowed object size.'],
  IllegalLocationConstraintException: [
    400,
    'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
  ],
  IllegalVersioningConfigurationException: [
    400,
    'The versioning configuration specified in the request is invalid.',
  ],
  IncompleteBody: [
    400,
    'You did not provide the number of bytes specified by the Content-Length HTTP header.',
  ],
  InternalError: [500, 'We encountered an internal error. Please try again.'],
  InvalidAccessKeyId: [403, 'The AWS Access Key Id you provided does not exist in our records.'],
  InvalidArgument: [400, 'Invalid Argument'],
  InvalidBucketName: [400, 'The specified bucket is not valid.'],
  InvalidBucketState: [409, 'The request is not valid with the current state of the bucket.'],
  InvalidDigest: [400, 'The Content-MD5 you specified is not valid.'],
  InvalidLocationConstraint: [400, 'The specified location constraint is not valid.'],
  InvalidObjectState: [403, 'The operation is not valid for the current state of the object.'],
  InvalidPart: [
    400,
    "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
  ],
  InvalidPartNumber: [416, 'The requested partnumber is not satisfiable'],
  InvalidPartOrder: [
    400,
    'The list of parts was not in ascending order. Parts must be ordered by part number.',
  ],
  InvalidPolicyDocument: [
    400,
    'The content of the form does not meet the conditions specified in the policy document.',
  ],
  InvalidRange: [416, 'The requested range is not satisfiable'],
  InvalidRequest: [400, 'Invalid Request'],
  InvalidStorageClass: [400, 'The storage class you specified is not valid'],
  InvalidTag: [400, 'The tag provided was not a valid tag.'],
  KeyTooLongError: [400, 'Your key is too long'],
  MalformedPOSTRequest: [400, 'The body of your POST request is not well-formed multipart/form-data.'],
  MalformedTrailerError: [
    400,
    'The request contained trailing data that was not well-formed or did not conform to our published schema.',
  ],
  MalformedXML: [
    400,
    'The XML you provided was not well-formed or did not validate against our published schema.',
  ],
  MaxMessageLengthExceeded: [400, 'Your request was too big.'],
  // S3's own spelling; the ErrorResponses table calls it MaxPostPreDataLengthExceededError.
  MaxPostPreDataLengthExceeded: [400, 'Your POST request fields preceeding the upload file was too large.'],
  MetadataTooLarge: [400, 'Your metadata headers exceed the maximum allowed metadata size.'],
  MethodNotAllowed: [405, 'The specified method is not allowed against this resource.'],
  MissingContentLength: [411, 'You must provide the Content-Length HTTP header.'],
  MissingRequestBodyError: [400, 'Request Body is empty'],
  MissingSecurityHeader: [400, 'Your request was missing a required header.'],
  NoSuchBucket: [404, 'The specified bucket does not exist'],
  NoSuchCORSConfiguration: [404, 'The CORS configuration does not exist'],
  NoSuchKey: [404, 'The specified key does not exist.'],
  NoSuchTagSet: [404, 'The TagSet does not exist'],
  NoSuchUpload: [
    404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  ],
  NoSuchVersion: [404, 'The specified version does not exist.'],
  NotImplemented: [501, 'A header you provided implies functionality that is not implemented.'],
  NotModified: [304, 'Not Modified'],
  PreconditionFailed: [412, 'At least one of the preconditions you specified did not hold.'],
  RequestTimeTooSkewed: [403, 'The difference between the request time and the current time is too large.'],
  ServiceUnavailable: [503, 'Please reduce your request rate.'],
  SignatureDoesNotMatch: [
    403,
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  ],
  XAmzContentSHA256Mismatch: [
    400,
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
  ],
} as const satisfies Record<string, readonly [number, string]>;

export const S3_ERRORS = { ...CORE_ERRORS, ...SELECT_ERRORS } as const;

export type S3ErrorCode = keyof typeof S3_ERRORS;

/** Extra elements S3 puts in the error XML next to Code and Message (BucketName, Key, …). */
export type S3ErrorDetails = Record<string, string | number | undefined>;

export class S3Error extends Error {
  readonly code: S3ErrorCode;
  readonly status: number;
  readonly details: S3ErrorDetails;
  /** Response headers that go with this error (e.g. x-amz-delete-marker on a 404). */
  readonly headers: Record<string, string>;

  constructor(
    code: S3ErrorCode,
    message?: string,
    opts: { details?: S3ErrorDetails; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message ?? S3_ERRORS[code][1], opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'S3Error';
    this.code = code;
    this.status = S3_ERRORS[code][0];
    this.details = opts.details ?? {};
    this.headers = opts.headers ?? {};
  }
}

export function isS3Error(e: unknown): e is S3Error {
  return e instanceof S3Error;
}

/** Factories: the only way call sites make errors. */
export const errors = {
  make: (code: S3ErrorCode, message?: string, details?: S3ErrorDetails) =>
    new S3Error(code, message, { details }),
  accessDenied: (message?: string) => new S3Error('AccessDenied', message),
  noSuchBucket: (bucket: string) =>
    new S3Error('NoSuchBucket', undefined, { details: { BucketName: bucket } }),
  noSuchKey: (key: string, headers?: Record<string, string>) =>
    new S3Error('NoSuchKey', undefined, { details: { Key: key }, headers }),
  noSuchVersion: (key: string, versionId: string) =>
    new S3Error('NoSuchVersion', undefined, { details: { Key: key, VersionId: versionId } }),
  noSuchUpload: (uploadId: string) =>
    new S3Error('NoSuchUpload', undefined, { details: { UploadId: uploadId } }),
  bucketAlreadyExists: (bucket: string) =>
    new S3Error('BucketAlreadyExists', undefined, { details: { BucketName: bucket } }),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    new S3Error('BucketAlreadyOwnedByYou', undefined, { details: { BucketName: bucket } }),
  bucketNotEmpty: (bucket: string) =>
    new S3Error('BucketNotEmpty', undefined, { details: { BucketName: bucket } }),
  invalidBucketName: (bucket: string) =>
    new S3Error('InvalidBucketName', undefined, { details: { BucketName: bucket } }),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new S3Error('InvalidArgument', message, { details: { ArgumentName: name, ArgumentValue: value } }),
  invalidRequest: (message: string) => new S3Error('InvalidRequest', message),
  // Carries Content-Range: bytes */size, as RFC 9110 §15.5.17 asks of a 416.
  invalidRange: (size: number, range?: string) =>
    new S3Error('InvalidRange', undefined, {
      details: { RangeRequested: range, ActualObjectSize: size },
      headers: { 'content-range': `bytes */${size}` },
    }),
  malformedXML: (message?: string) => new S3Error('MalformedXML', message),
  notImplemented: (what: string) => new S3Error('NotImplemented', `${what} is not implemented.`),
  /** `headers`: e.g. x-amz-delete-marker when a GET names a delete marker's version. */
  methodNotAllowed: (method: string, resourceType: string, headers?: Record<string, string>) =>
    new S3Error('MethodNotAllowed', undefined, {
      details: { Method: method, ResourceType: resourceType },
      headers,
    }),
  preconditionFailed: (condition: string) =>
    new S3Error('PreconditionFailed', undefined, { details: { Condition: condition } }),
  notModified: (headers?: Record<string, string>) => new S3Error('NotModified', undefined, { headers }),
  internal: (cause: unknown) => new S3Error('InternalError', undefined, { cause }),
} as const;
