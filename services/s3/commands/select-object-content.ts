/**
 * SelectObjectContent: POST /bucket/key?select&select-type=2
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_SelectObjectContent.html
 *
 * Parses the SelectObjectContentRequest XML, resolves the object, compiles
 * the SQL (all of which fail as HTTP errors with S3's codes), then answers 200
 * with the event stream (Records, Progress, Cont, Stats, End, or an error
 * event) produced by services/select while it scans the object.
 *
 * The API has no versionId; like MinIO, a ?versionId names a version anyway.
 * Objects in archive storage classes cannot be queried (UnsupportedStorageClass).
 */
import { errors } from '../../../shared/errors.js';
import { parseSelectRequest } from '../../select/request.js';
import { prepareSelect, startSelect } from '../../select/run-select.js';
import { headLiveVersion } from '../object-read.js';
import { objectTarget } from '../object-request.js';
import { header } from '../put-options.js';
import type { S3Handler } from '../types.js';
import { readBodyText } from '../xml.js';

/** Room for a 256 KB expression written with XML escapes, and the serialization elements. */
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

/** "You cannot query objects stored in the S3 Glacier Flexible Retrieval, S3 Glacier Deep Archive, or RRS classes." */
const UNQUERYABLE_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE', 'REDUCED_REDUNDANCY']);

export const selectObjectContent: S3Handler = async (req, ctx) => {
  const { bucket, key, versionId } = objectTarget(req);
  if (header(req.headers, 'range') !== undefined) throw errors.make('UnsupportedRangeHeader');
  const request = parseSelectRequest(await readBodyText(req.body, MAX_REQUEST_BYTES));
  const version = headLiveVersion(ctx.store, bucket.name, key, versionId, req.method);
  if (UNQUERYABLE_CLASSES.has(version.storageClass)) throw errors.make('UnsupportedStorageClass');
  const prepared = prepareSelect(request, version);
  const body = startSelect(prepared, {
    store: ctx.store,
    version,
    signal: req.signal,
    log: ctx.log,
    ...(ctx.selectScanPool === undefined ? {} : { scanPool: ctx.selectScanPool }),
    ...(ctx.onSelectScan === undefined ? {} : { onScan: ctx.onSelectScan }),
  });
  return { status: 200, body };
};
