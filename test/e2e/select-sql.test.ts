/**
 * The S3 Select SQL dialect end to end, one or two cases per family of the
 * issue (operators, functions, CAST targets, aggregates, LIMIT), through the
 * real SDK on a small CSV object. The SQL engine's unit tests cover each
 * function exhaustively; this table shows they reach the user intact.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { emptyAndDeleteBucket } from '../helpers/object-kit.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { checkCase, putText, selectText, type SelectCase } from './select-kit.js';

const ITEMS =
  'id,name,price,qty,ts\n' +
  '1,Apple pie,3.5,4,2024-01-15T10:30:00Z\n' +
  '2,banana_split,2.25,10,2024-02-29T00:00:00Z\n' +
  '3,Cherry,,7,2023-12-31T23:59:59Z\n' +
  '4,date 100%,12,1,2024-03-01T08:00:00Z\n';
const QTY = [4, 10, 7, 1];

const families: Array<[family: string, sql: string, want: string]> = [
  [
    'comparison, AND, OR, NOT',
    `SELECT id FROM S3Object WHERE CAST(qty AS INT) > 3 AND NOT (name = 'Cherry') OR id = '4'`,
    '1\n2\n4\n',
  ],
  [
    'comparison operators <>, <=, >=',
    `SELECT id FROM S3Object WHERE id <> '2' AND CAST(qty AS INT) <= 7 AND CAST(qty AS INT) >= 4`,
    '1\n3\n',
  ],
  [
    'arithmetic + - * %',
    `SELECT CAST(qty AS INT) * 2 + 1, CAST(qty AS INT) - 12, CAST(qty AS INT) % 3 FROM S3Object WHERE id = '2'`,
    '21,-2,1\n',
  ],
  ['unary minus and parentheses', `SELECT -(CAST(qty AS INT) + 1) FROM S3Object WHERE id = '4'`, '-2\n'],
  ['LIKE with _ and %', `SELECT name FROM S3Object WHERE LOWER(name) LIKE '_pple%'`, 'Apple pie\n'],
  [
    'LIKE with ESCAPE',
    `SELECT name FROM S3Object WHERE name LIKE 'banana!_%' ESCAPE '!' OR name LIKE '%100!%' ESCAPE '!'`,
    'banana_split\ndate 100%\n',
  ],
  ['NOT LIKE', `SELECT id FROM S3Object WHERE name NOT LIKE '%a%'`, '1\n3\n'],
  ['BETWEEN', `SELECT id FROM S3Object WHERE CAST(qty AS INT) BETWEEN 4 AND 7`, '1\n3\n'],
  ['NOT BETWEEN', `SELECT id FROM S3Object WHERE CAST(qty AS INT) NOT BETWEEN 4 AND 7`, '2\n4\n'],
  ['IN', `SELECT id FROM S3Object WHERE id IN ('1', '3')`, '1\n3\n'],
  ['NOT IN', `SELECT id FROM S3Object WHERE CAST(id AS INT) NOT IN (1, 3)`, '2\n4\n'],
  [
    'IS NULL / IS NOT NULL',
    `SELECT id, NULLIF(price, '') IS NOT NULL FROM S3Object WHERE NULLIF(price, '') IS NULL OR id = '1'`,
    '1,true\n3,false\n',
  ],
  [
    'IS MISSING on a CSV column that is absent',
    `SELECT id FROM S3Object s WHERE s._9 IS MISSING AND id = '1'`,
    '1\n',
  ],
  [
    'searched CASE',
    `SELECT CASE WHEN CAST(qty AS INT) > 5 THEN 'many' ELSE 'few' END FROM S3Object`,
    'few\nmany\nmany\nfew\n',
  ],
  [
    'simple CASE',
    `SELECT CASE id WHEN '1' THEN 'one' WHEN '2' THEN 'two' ELSE 'other' END FROM S3Object LIMIT 3`,
    'one\ntwo\nother\n',
  ],
  ['COALESCE and NULLIF', `SELECT COALESCE(NULLIF(price, ''), 'n/a') FROM S3Object`, '3.5\n2.25\nn/a\n12\n'],
  [
    'CAST AS INT / INTEGER',
    `SELECT CAST('12' AS INT) + CAST(qty AS INTEGER) FROM S3Object WHERE id = '1'`,
    '16\n',
  ],
  ['CAST AS FLOAT', `SELECT CAST(price AS FLOAT) * 2 FROM S3Object WHERE id = '2'`, '4.5\n'],
  ['CAST AS DECIMAL', `SELECT CAST(price AS DECIMAL) FROM S3Object WHERE id = '1'`, '3.5\n'],
  ['CAST AS STRING', `SELECT CAST(CAST(qty AS INT) + 1 AS STRING) FROM S3Object WHERE id = '3'`, '8\n'],
  [
    'CAST AS BOOL',
    `SELECT CAST('true' AS BOOL), CAST('false' AS BOOL) FROM S3Object LIMIT 1`,
    'true,false\n',
  ],
  [
    'CAST AS TIMESTAMP',
    `SELECT CAST(ts AS TIMESTAMP) FROM S3Object WHERE id = '1'`,
    '2024-01-15T10:30:00Z\n',
  ],
  [
    'CHAR_LENGTH, CHARACTER_LENGTH',
    `SELECT CHAR_LENGTH(name), CHARACTER_LENGTH(name) FROM S3Object WHERE id = '1'`,
    '9,9\n',
  ],
  ['LOWER, UPPER', `SELECT LOWER(name), UPPER(name) FROM S3Object WHERE id = '3'`, 'cherry,CHERRY\n'],
  [
    'SUBSTRING FROM FOR and with commas',
    `SELECT SUBSTRING(name FROM 2 FOR 3), SUBSTRING(name, 2) FROM S3Object WHERE id = '3'`,
    'her,herry\n',
  ],
  [
    'TRIM BOTH (default), LEADING, TRAILING',
    `SELECT TRIM('  x  '), TRIM(LEADING 'x' FROM 'xxabcxx'), TRIM(TRAILING FROM '  ab  '), TRIM(BOTH 'x' FROM 'xxaxx') FROM S3Object LIMIT 1`,
    'x,abcxx,  ab,a\n',
  ],
  [
    'TO_TIMESTAMP and EXTRACT',
    `SELECT id FROM S3Object WHERE EXTRACT(YEAR FROM TO_TIMESTAMP(ts)) = 2023`,
    '3\n',
  ],
  [
    'EXTRACT MONTH, DAY, HOUR, MINUTE',
    `SELECT EXTRACT(MONTH FROM TO_TIMESTAMP(ts)), EXTRACT(DAY FROM TO_TIMESTAMP(ts)), EXTRACT(HOUR FROM TO_TIMESTAMP(ts)), EXTRACT(MINUTE FROM TO_TIMESTAMP(ts)) FROM S3Object WHERE id = '1'`,
    '1,15,10,30\n',
  ],
  [
    'DATE_ADD across a leap day',
    `SELECT DATE_ADD(day, 1, TO_TIMESTAMP('2024-02-28T00:00:00Z')) FROM S3Object LIMIT 1`,
    '2024-02-29T00:00:00Z\n',
  ],
  [
    'DATE_DIFF in days',
    `SELECT DATE_DIFF(day, TO_TIMESTAMP('2024-01-01T00:00:00Z'), TO_TIMESTAMP(ts)) FROM S3Object WHERE id = '4'`,
    '60\n',
  ],
  [
    'TO_STRING with a pattern',
    `SELECT TO_STRING(TO_TIMESTAMP(ts), 'yyyy/MM/dd') FROM S3Object WHERE id = '2'`,
    '2024/02/29\n',
  ],
  [
    'COUNT, SUM, MIN, MAX',
    `SELECT COUNT(*), SUM(CAST(qty AS INT)), MIN(CAST(qty AS INT)), MAX(CAST(qty AS INT)) FROM S3Object`,
    `${QTY.length},${QTY.reduce((a, b) => a + b, 0)},${Math.min(...QTY)},${Math.max(...QTY)}\n`,
  ],
  ['AVG', `SELECT AVG(CAST(qty AS INT)) FROM S3Object`, `${QTY.reduce((a, b) => a + b, 0) / QTY.length}\n`],
  ['COUNT of a column with a WHERE', `SELECT COUNT(name) FROM S3Object WHERE CAST(qty AS INT) > 3`, '3\n'],
  ['LIMIT', `SELECT id FROM S3Object LIMIT 2`, '1\n2\n'],
  ['LIMIT 0', `SELECT id FROM S3Object LIMIT 0`, ''],
  [
    'aliases and positional columns with a table alias',
    `SELECT t._2 AS n FROM S3Object AS t WHERE t._1 = '4'`,
    'date 100%\n',
  ],
];

describe('S3 Select: SQL functions and operators', () => {
  let strata: TestStrata;
  const bucket = bucketName('select-sql');

  before(async () => {
    strata = await startStrata();
    await strata.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await putText(strata.s3, bucket, 'items.csv', ITEMS);
  });

  after(async () => {
    await emptyAndDeleteBucket(strata.s3, bucket);
    await strata.close();
  });

  for (const [family, sql, want] of families) {
    const c: SelectCase = {
      name: family,
      key: 'items.csv',
      sql,
      input: { CSV: { FileHeaderInfo: 'USE' } },
      want,
    };
    it(`${family}: ${sql}`, async () => {
      await checkCase(strata.s3, bucket, c);
    });
  }

  it('UTCNOW() is the time of the query', async () => {
    const before = Date.now();
    const text = await selectText(strata.s3, {
      Bucket: bucket,
      Key: 'items.csv',
      Expression: 'SELECT UTCNOW() FROM S3Object LIMIT 1',
      InputSerialization: { CSV: { FileHeaderInfo: 'USE' } },
    });
    const t = Date.parse(text.trim());
    assert.ok(Number.isFinite(t), `a timestamp: ${text}`);
    assert.ok(t >= before - 1000 && t <= Date.now() + 1000, `${text} is now`);
  });
});
