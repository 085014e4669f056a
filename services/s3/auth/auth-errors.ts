/**
 * The errors of authentication, with the codes, messages and extra elements
 * S3 sends (as observed on the wire; the AWS ErrorResponses page lists the
 * codes only): https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 * Everything is built from the table in shared/errors.ts.
 */
import { errors, S3Error } from '../../../shared/errors.js';
import { isoSeconds } from './amz-date.js';

/** The accepted values of x-amz-content-sha256, in the order S3 lists them. */
const PAYLOAD_HASH_VALUES =
  'UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, ' +
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, ' +
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER';

/** "ab 0a": the bytes of a string as S3 shows them in StringToSignBytes. */
function hexBytes(s: string): string {
  return (Buffer.from(s, 'utf8').toString('hex').match(/../g) ?? []).join(' ');
}

/** Where a credential came from: it decides the code and the prefix of its errors. */
export type CredentialSource = 'header' | 'query' | 'form';

/**
 * A fault in a credential: AuthorizationHeaderMalformed in the header,
 * AuthorizationQueryParametersError in a presigned URL, InvalidArgument
 * naming X-Amz-Credential in a POST form (each as S3 words it).
 */
export function credentialError(
  source: CredentialSource,
  detail: string,
  region?: string,
  value?: string,
): S3Error {
  switch (source) {
    case 'header':
      return errors.make('AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`, {
        Region: region,
      });
    case 'query':
      return errors.make(
        'AuthorizationQueryParametersError',
        `Error parsing the X-Amz-Credential parameter; ${detail}`,
        {
          Region: region,
        },
      );
    case 'form':
      return errors.make('InvalidArgument', detail, {
        ArgumentName: 'X-Amz-Credential',
        ArgumentValue: value,
        Region: region,
      });
  }
}

export const authErrors = {
  accessDenied: () => errors.accessDenied(),
  malformedHeader: (detail: string) => credentialError('header', detail),
  missingComponents: () =>
    credentialError(
      'header',
      'the authorization header requires three components: Credential, SignedHeaders, and Signature.',
    ),
  unsupportedAuthorization: (value: string) =>
    errors.invalidArgument('Unsupported Authorization Type', 'Authorization', value),
  signatureV2: () =>
    errors.invalidRequest(
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
    ),
  oneMechanism: (value: string) =>
    errors.invalidArgument(
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      'Authorization',
      value,
    ),
  missingDate: () => errors.accessDenied('AWS authentication requires a valid Date or x-amz-date header'),
  missingContentSha256: () =>
    errors.invalidRequest('Missing required header for this request: x-amz-content-sha256'),
  invalidContentSha256: (value: string) =>
    errors.invalidArgument(
      `x-amz-content-sha256 must be ${PAYLOAD_HASH_VALUES} or a valid sha256 value.`,
      'x-amz-content-sha256',
      value,
    ),
  headersNotSigned: (names: readonly string[]) =>
    errors.make('AccessDenied', 'There were headers present in the request which were not signed', {
      HeadersNotSigned: names.join(', '),
    }),
  invalidAccessKeyId: (accessKey: string) =>
    errors.make('InvalidAccessKeyId', undefined, { AWSAccessKeyId: accessKey }),
  signatureDoesNotMatch: (p: {
    accessKey: string;
    stringToSign: string;
    signatureProvided: string;
    canonicalRequest?: string;
  }) =>
    errors.make('SignatureDoesNotMatch', undefined, {
      AWSAccessKeyId: p.accessKey,
      StringToSign: p.stringToSign,
      SignatureProvided: p.signatureProvided,
      StringToSignBytes: hexBytes(p.stringToSign),
      CanonicalRequest: p.canonicalRequest,
      CanonicalRequestBytes: p.canonicalRequest === undefined ? undefined : hexBytes(p.canonicalRequest),
    }),
  requestTimeTooSkewed: (requestTime: string, now: number, maxSkewMs: number) =>
    errors.make('RequestTimeTooSkewed', undefined, {
      RequestTime: requestTime,
      ServerTime: isoSeconds(now),
      MaxAllowedSkewMilliseconds: maxSkewMs,
    }),
  queryParameters: (message: string) => errors.make('AuthorizationQueryParametersError', message),
  missingQueryParameters: () =>
    errors.make(
      'AuthorizationQueryParametersError',
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    ),
  requestExpired: (expiresSeconds: number, expiresAt: number, now: number) =>
    errors.make('AccessDenied', 'Request has expired', {
      'X-Amz-Expires': expiresSeconds,
      Expires: isoSeconds(expiresAt),
      ServerTime: isoSeconds(now),
    }),
  requestNotYetValid: (amzDate: string, now: number) =>
    errors.make('AccessDenied', 'Request is not yet valid', {
      'X-Amz-Date': amzDate,
      ServerTime: isoSeconds(now),
    }),
  contentSha256Mismatch: (clientComputed: string, computed: string) =>
    errors.make('XAmzContentSHA256Mismatch', undefined, {
      ClientComputedContentSHA256: clientComputed,
      S3ComputedContentSHA256: computed,
    }),
  missingDecodedLength: () => errors.make('MissingContentLength'),
  incompleteBody: () => errors.make('IncompleteBody', 'The request body terminated unexpectedly'),
  malformedChunk: (detail: string) =>
    errors.invalidArgument(`The aws-chunked encoding of the request body is not valid: ${detail}`),
  malformedTrailer: () => errors.make('MalformedTrailerError'),
} as const;
