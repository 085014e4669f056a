/**
 * The Credential of Signature V4: "<access key>/<yyyyMMdd>/<region>/s3/aws4_request",
 * checked against this server's region the way S3 checks it (each fault has
 * its own message; a wrong region names the expected one in <Region>).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html
 */
import { credentialError, type CredentialSource } from './auth-errors.js';
import { credentialScope } from './canonical-request.js';

export interface Credential {
  readonly accessKey: string;
  /** yyyyMMdd */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  /** "20130524/us-east-1/s3/aws4_request" */
  readonly scope: string;
}

export const S3_SERVICE = 's3';

/**
 * Parses and validates a credential. The access key may itself contain "/"
 * (Strata allows it), so the scope is taken from the last four parts.
 */
export function parseCredential(value: string, region: string, source: CredentialSource): Credential {
  const fail = (detail: string, expectedRegion?: string) =>
    credentialError(source, detail, expectedRegion, value);
  const parts = value.split('/');
  if (parts.length < 5) {
    throw fail('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  const [date, reqRegion, service, terminal] = parts.slice(-4) as [string, string, string, string];
  const accessKey = parts.slice(0, -4).join('/');
  if (accessKey === '') throw fail('a non-empty Access Key (AKID) must be provided in the credential.');
  if (!/^\d{8}$/.test(date)) {
    throw fail(
      `incorrect date format "${date}". This date in the credential must be in the format "yyyyMMdd".`,
    );
  }
  if (reqRegion !== region) throw fail(`the region '${reqRegion}' is wrong; expecting '${region}'`, region);
  if (service !== S3_SERVICE) {
    throw fail(`incorrect service "${service}". This endpoint belongs to "${S3_SERVICE}".`);
  }
  if (terminal !== 'aws4_request') {
    throw fail(`incorrect terminal "${terminal}". This endpoint uses "aws4_request".`);
  }
  return { accessKey, date, region: reqRegion, service, scope: credentialScope(date, reqRegion, service) };
}

/** The credential's day must be the day of the request's timestamp. */
export function checkCredentialDate(credential: Credential, amzDate: string, source: CredentialSource): void {
  const day = amzDate.slice(0, 8);
  if (credential.date !== day) {
    throw credentialError(
      source,
      `Invalid credential date "${credential.date}". This date is not the same as X-Amz-Date: "${day}".`,
    );
  }
}
