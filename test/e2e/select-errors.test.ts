/**
 * S3 Select errors as a user's code sees them: HTTP errors with S3's codes
 * for everything found before the stream starts (request XML, SQL, object),
 * and error events the SDK throws while iterating for what is found during
 * the scan (a failed CAST on a late row).
 */
import {
  CreateBucketCommand,
  PutObjectCommand,
  SelectObjectContentCommand,
  type FileHeaderInfo,
  type JSONType,
  type QuoteFields,
  type CompressionType,
  type SelectObjectContentCommandInput,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { emptyAndDeleteBucket } from '../helpers/object-kit.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { s3Error, withBody, withHeaders } from './sdk-helpers.js';
import { putText, select } from './select-kit.js';

const CSV = 'a,b\n1,2\n3,4\n';
const LATE_BAD_ROW = 4000;
const MOSTLY_NUMBERS =
  Array.from({ length: 5000 }, (_, i) => (i === LATE_BAD_ROW ? 'oops' : String(i))).join('\n') + '\n';

function base(bucket: string, key = 'data.csv'): SelectObjectContentCommandInput {
  return {
    Bucket: bucket,
    Key: key,
    Expression: 'SELECT * FROM S3Object',
    ExpressionType: 'SQL',
    InputSerialization: { CSV: {} },
    OutputSerialization: { CSV: {} },
  };
}

describe('S3 Select: errors', () => {
  let strata: TestStrata;
  const bucket = bucketName('select-err');

  before(async () => {
    strata = await startStrata();
    await strata.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await putText(strata.s3, bucket, 'data.csv', CSV);
    await putText(strata.s3, bucket, 'numbers.csv', MOSTLY_NUMBERS);
    await strata.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'cold.csv', Body: CSV, StorageClass: 'GLACIER' }),
    );
  });

  after(async () => {
    await emptyAndDeleteBucket(strata.s3, bucket);
    await strata.close();
  });

  const requestErrors: Array<[string, (b: string) => SelectObjectContentCommandInput, number]> = [
    ['InvalidExpressionType', (b) => ({ ...base(b), ExpressionType: 'XPATH' as 'SQL' }), 400],
    [
      'ExpressionTooLong',
      (b) => ({
        ...base(b),
        Expression: 'SELECT * FROM S3Object WHERE ' + "_1 = 'x' OR ".repeat(30_000) + '1 = 1',
      }),
      400,
    ],
    [
      'InvalidFileHeaderInfo',
      (b) => ({ ...base(b), InputSerialization: { CSV: { FileHeaderInfo: 'FIRST' as FileHeaderInfo } } }),
      400,
    ],
    [
      'ObjectSerializationConflict',
      (b) => ({ ...base(b), InputSerialization: { CSV: {}, JSON: { Type: 'LINES' } } }),
      400,
    ],
    ['MissingRequiredParameter', (b) => ({ ...base(b), InputSerialization: {} }), 400],
    [
      'InvalidJsonType',
      (b) => ({ ...base(b), InputSerialization: { JSON: { Type: 'ARRAY' as JSONType } } }),
      400,
    ],
    [
      'InvalidCompressionFormat',
      (b) => ({ ...base(b), InputSerialization: { CSV: {}, CompressionType: 'ZIP' as CompressionType } }),
      400,
    ],
    [
      'InvalidQuoteFields',
      (b) => ({ ...base(b), OutputSerialization: { CSV: { QuoteFields: 'SOMETIMES' as QuoteFields } } }),
      400,
    ],
    ['InvalidScanRange', (b) => ({ ...base(b), ScanRange: { Start: 10, End: 5 } }), 400],
    [
      'UnsupportedScanRangeInput',
      (b) => ({ ...base(b), InputSerialization: { JSON: { Type: 'DOCUMENT' } }, ScanRange: { Start: 1 } }),
      400,
    ],
    ['NoSuchKey', (b) => base(b, 'missing.csv'), 404],
    ['NoSuchBucket', () => base(bucketName('select-none')), 404],
    ['UnsupportedStorageClass', (b) => base(b, 'cold.csv'), 400],
    ['ParseExpectedExpression', (b) => ({ ...base(b), Expression: 'SELECT * FROM S3Object WHERE' }), 400],
    ['UnsupportedFunction', (b) => ({ ...base(b), Expression: 'SELECT FOO(_1) FROM S3Object' }), 400],
    ['InvalidTableAlias', (b) => ({ ...base(b), Expression: 'SELECT x.* FROM S3Object s' }), 400],
    ['EvaluatorNegativeLimit', (b) => ({ ...base(b), Expression: 'SELECT * FROM S3Object LIMIT -1' }), 400],
  ];
  for (const [code, input, status] of requestErrors) {
    it(`${code} (HTTP ${status}) before the stream starts`, async () => {
      const err = await s3Error(strata.s3.send(new SelectObjectContentCommand(input(bucket))));
      assert.deepEqual([err.code, err.status], [code, status]);
    });
  }

  it('ParseUnexpectedToken carries the line and column of the token', async () => {
    let caught: Record<string, unknown> | undefined;
    try {
      await strata.s3.send(
        new SelectObjectContentCommand({ ...base(bucket), Expression: 'SELECT *\n  FORM S3Object' }),
      );
    } catch (e) {
      caught = e as Record<string, unknown>;
    }
    assert.ok(caught, 'the request fails');
    assert.equal(caught['name'], 'ParseUnexpectedToken');
    assert.deepEqual([caught['Line'], caught['Column'], caught['TokenValue']], ['2', '3', 'FORM']);
  });

  const bodyErrors: Array<[string, string]> = [
    ['MalformedXML', '<SelectObjectContentRequest><Expression>SELECT'],
    ['MalformedXML', '<Other/>'],
    ['EmptyRequestBody', ''],
  ];
  for (const [code, body] of bodyErrors) {
    it(`${code} for the body ${JSON.stringify(body)}`, async () => {
      const err = await s3Error(strata.s3.send(withBody(new SelectObjectContentCommand(base(bucket)), body)));
      assert.deepEqual([err.code, err.status], [code, 400]);
    });
  }

  it('UnsupportedRangeHeader for a Range header', async () => {
    const cmd = withHeaders(new SelectObjectContentCommand(base(bucket)), { range: 'bytes=0-1' }, {});
    const err = await s3Error(strata.s3.send(cmd));
    assert.deepEqual([err.code, err.status], ['UnsupportedRangeHeader', 400]);
  });

  it('a CAST failure on a late row: the rows before it arrive, then the SDK throws CastFailed', async () => {
    const out = await select(strata.s3, {
      Bucket: bucket,
      Key: 'numbers.csv',
      Expression: 'SELECT CAST(_1 AS INT) + 1 FROM S3Object',
      InputSerialization: { CSV: {} },
    });
    assert.equal(out.error?.code, 'CastFailed');
    assert.equal(out.ended, false);
    assert.equal(out.stats, undefined);
    const rows = out.records.split('\n').filter((l) => l !== '');
    assert.equal(rows.length, LATE_BAD_ROW);
    assert.deepEqual(
      rows,
      rows.map((_, i) => String(i + 1)),
    );
  });

  it('the server answers normally after an error event', async () => {
    const out = await select(strata.s3, {
      Bucket: bucket,
      Key: 'data.csv',
      Expression: 'SELECT b FROM S3Object',
      InputSerialization: { CSV: { FileHeaderInfo: 'USE' } },
    });
    assert.equal(out.records, '2\n4\n');
  });
});
