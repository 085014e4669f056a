/**
 * ListBuckets: the caller's buckets, by name. Supports the paginated form
 * (max-buckets, continuation-token, prefix) current SDKs may send.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
 */
import { errors } from '../../../shared/errors.js';
import { decodeContinuationToken, encodeContinuationToken, optionalParam } from '../list-params.js';
import { ownerXml } from '../owner-xml.js';
import type { S3Handler } from '../types.js';
import { renderXml } from '../xml.js';

const MAX_BUCKETS = 10_000;

function parseMaxBuckets(query: URLSearchParams): number {
  const raw = query.get('max-buckets');
  if (raw === null) return MAX_BUCKETS;
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_BUCKETS)) {
    throw errors.invalidArgument(
      `Argument max-buckets must be an integer between 1 and ${MAX_BUCKETS}`,
      'max-buckets',
      raw,
    );
  }
  return n;
}

export const listBuckets: S3Handler = async (req, { store }) => {
  const maxBuckets = parseMaxBuckets(req.query);
  const prefix = optionalParam(req.query, 'prefix');
  const token = req.query.get('continuation-token');
  const after = token === null ? undefined : decodeContinuationToken(token);
  const region = optionalParam(req.query, 'bucket-region');
  const matching = store
    .listBuckets(req.user)
    .filter(
      (b) => (prefix === undefined || b.name.startsWith(prefix)) && (after === undefined || b.name > after),
    )
    .filter((b) => region === undefined || b.region === region);
  const page = matching.slice(0, maxBuckets);
  const last = page[page.length - 1];
  const truncated = matching.length > page.length && last !== undefined;
  return {
    headers: { 'content-type': 'application/xml' },
    body: renderXml('ListAllMyBucketsResult', {
      Owner: ownerXml(req.user.id, req.user.displayName),
      Buckets: {
        Bucket: page.map((b) => ({ Name: b.name, CreationDate: b.createdAt, BucketRegion: b.region })),
      },
      ContinuationToken: truncated ? encodeContinuationToken(last.name) : undefined,
      Prefix: prefix,
    }),
  };
};
