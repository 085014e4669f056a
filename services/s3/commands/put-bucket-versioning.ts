/**
 * PutBucketVersioning: Status Enabled or Suspended. A versioned bucket can be
 * suspended but never return to unversioned, so no other Status exists.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html
 *
 * A Status other than Enabled / Suspended (or none) is
 * IllegalVersioningConfigurationException, as S3 answers. MFA delete needs
 * MFA devices Strata does not have, so MfaDelete=Enabled is refused the same
 * way; MfaDelete=Disabled is the state every bucket is in and is accepted.
 * Like S3, the body must carry a Content-MD5 or x-amz-checksum-*.
 */
import { errors } from '../../../shared/errors.js';
import { readVerifiedBody } from '../body-digest.js';
import { bucketInfoOf } from '../bucket-request.js';
import type { S3Handler } from '../types.js';
import { childText, parseXml } from '../xml.js';

export const putBucketVersioning: S3Handler = async (req, { store }) => {
  const bucket = bucketInfoOf(req);
  const config = parseXml(
    await readVerifiedBody(req, { limit: 64 * 1024, required: true }),
    'VersioningConfiguration',
  );
  const status = childText(config, 'Status');
  const mfaDelete = childText(config, 'MfaDelete');
  if (status !== 'Enabled' && status !== 'Suspended') {
    throw errors.make('IllegalVersioningConfigurationException');
  }
  if (mfaDelete !== undefined && mfaDelete !== 'Disabled') {
    throw errors.make(
      'IllegalVersioningConfigurationException',
      mfaDelete === 'Enabled' ? 'MFA delete is not supported.' : undefined,
    );
  }
  store.setBucketVersioning(bucket.name, status);
  return {};
};
