/**
 * Authenticates a browser-form upload from its fields: the signature is the
 * hex HMAC-SHA256 of the policy field (the base64 text as sent) under the
 * signing key of x-amz-credential.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
 *
 * The signature is checked over the policy as received before the policy is
 * decoded (a truncated policy is SignatureDoesNotMatch, as on S3). A form
 * with none of the signing fields is an anonymous upload, which no Strata
 * bucket accepts (AccessDenied).
 */
import { errors } from '../../../shared/errors.js';
import type { ObjectStore, User } from '../../store/types.js';
import { parseAmzDate } from './amz-date.js';
import { authErrors } from './auth-errors.js';
import { ALGORITHM } from './canonical-request.js';
import { parseCredential } from './credential-scope.js';
import type { FormFields } from './post-policy-check.js';
import { decodePostPolicy, type PostPolicy } from './post-policy.js';
import { deriveSigningKey, signaturesEqual, signString, type SigningKeyCache } from './signing-key.js';

export interface PostAuthentication {
  readonly user: User;
  readonly policy: PostPolicy;
}

/** The signing fields, in the order S3 asks for the first one missing. */
const REQUIRED = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature', 'Policy'] as const;
const SIGNATURE_V2 = ['awsaccesskeyid', 'signature'];

function missingField(name: string) {
  return errors.invalidArgument(
    `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
    name,
    '',
  );
}

export interface PostAuthContext {
  readonly store: Pick<ObjectStore, 'findUser'>;
  readonly region: string;
  /** Shares derived keys across requests when given; browser uploads are rare enough to derive each time. */
  readonly keys?: SigningKeyCache;
}

export function authenticatePostForm(fields: FormFields, ctx: PostAuthContext): PostAuthentication {
  const value = (name: string): string | undefined => fields.get(name.toLowerCase())?.value;
  const signing = [...REQUIRED.map((n) => n.toLowerCase()), ...SIGNATURE_V2];
  if (!signing.some((n) => fields.has(n))) throw authErrors.accessDenied();
  if (!fields.has('x-amz-algorithm') && SIGNATURE_V2.some((n) => fields.has(n)))
    throw authErrors.signatureV2();
  for (const name of REQUIRED) if (value(name) === undefined) throw missingField(name);
  const algorithm = value('x-amz-algorithm')!;
  if (algorithm !== ALGORITHM) {
    throw errors.invalidArgument(
      'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
      'X-Amz-Algorithm',
      algorithm,
    );
  }
  const amzDate = value('x-amz-date')!;
  if (parseAmzDate(amzDate) === undefined) {
    // S3's wording, spelling included.
    throw errors.invalidArgument(
      'X-Amz-Date must be formated via ISO8601 Long format',
      'X-Amz-Date',
      amzDate,
    );
  }
  const credential = parseCredential(value('x-amz-credential')!, ctx.region, 'form');
  const user = ctx.store.findUser(credential.accessKey);
  if (user === undefined) throw authErrors.invalidAccessKeyId(credential.accessKey);
  const policyText = value('policy')!;
  const signature = value('x-amz-signature')!;
  const key =
    ctx.keys?.get(user.accessKey, user.secretKey, credential.date, credential.region, credential.service) ??
    deriveSigningKey(user.secretKey, credential.date, credential.region, credential.service);
  if (!signaturesEqual(signString(key, policyText), signature)) {
    throw authErrors.signatureDoesNotMatch({
      accessKey: credential.accessKey,
      stringToSign: policyText,
      signatureProvided: signature,
    });
  }
  return { user, policy: decodePostPolicy(policyText) };
}
