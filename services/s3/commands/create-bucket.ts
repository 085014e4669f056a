/**
 * CreateBucket: PUT /bucket with an optional CreateBucketConfiguration.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
 *
 * The LocationConstraint must name this node's region. As in us-east-1, a
 * request without one is accepted there only. Unlike S3 (which refuses an
 * explicit "us-east-1"), naming the node's own region is always accepted, as
 * MinIO does, so clients that always send it keep working.
 * Re-creating a bucket you own is BucketAlreadyOwnedByYou (S3 answers 200 in
 * us-east-1 for legacy reasons; every other region answers 409).
 */
import { errors } from '../../../shared/errors.js';
import type { S3Handler } from '../types.js';
import { childText, parseXml, readBodyText } from '../xml.js';

const REGION_NAME = /^[a-z]{2}(-[a-z0-9]+)+-\d+$/;

function locationConstraintOf(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const lc = childText(parseXml(text, 'CreateBucketConfiguration'), 'LocationConstraint');
  return lc === undefined || lc.trim() === '' ? undefined : lc.trim();
}

function checkLocation(lc: string | undefined, region: string): void {
  if (lc === undefined) {
    if (region === 'us-east-1') return;
    throw errors.make('IllegalLocationConstraintException');
  }
  if (lc === region || (lc === 'EU' && region === 'eu-west-1')) return;
  if (lc !== 'EU' && !REGION_NAME.test(lc)) {
    throw errors.make('InvalidLocationConstraint', 'The specified location-constraint is not valid', {
      LocationConstraint: lc,
    });
  }
  throw errors.make(
    'IllegalLocationConstraintException',
    `The ${lc} location constraint is incompatible for the region specific endpoint this request was sent to.`,
  );
}

export const createBucket: S3Handler = async (req, { store, config }) => {
  const name = req.bucket;
  if (name === undefined) throw errors.internal(new Error('CreateBucket without a bucket name'));
  const lc = locationConstraintOf(await readBodyText(req.body, 64 * 1024));
  if (req.headers['x-amz-bucket-object-lock-enabled']?.toString().toLowerCase() === 'true') {
    throw errors.notImplemented('Object Lock');
  }
  // Checked before the location so that a taken name answers as S3 does whatever the body says.
  const existing = store.getBucket(name);
  if (existing) {
    throw existing.ownerId === req.user.id
      ? errors.bucketAlreadyOwnedByYou(name)
      : errors.bucketAlreadyExists(name);
  }
  checkLocation(lc, config.region);
  // The store checks the name rules (InvalidBucketName) and settles a race for the same name.
  store.createBucket(name, req.user, config.region);
  return { headers: { location: `/${name}` } };
};
