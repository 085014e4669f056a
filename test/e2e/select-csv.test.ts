/**
 * S3 Select on CSV objects through the real SDK: FileHeaderInfo USE / IGNORE
 * / NONE, custom delimiters, quotes, escapes and comments, quoted record
 * delimiters, GZIP and BZIP2 input, and every CSVOutput option.
 */
import type { InputSerialization } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { emptyAndDeleteBucket } from '../helpers/object-kit.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { checkCase, putText, type SelectCase } from './select-kit.js';

const PEOPLE =
  'name,age,city,score\nAnn,30,Paris,88.5\nBob,41,"New York, NY",72.25\nCid,25,Rome,91\nDee,,Oslo,60.75\n';
// The same rows with ';' fields, '|' records, "'" quotes and a '\' escape.
const CUSTOM = "name;note|Ann;'it\\'s; fine'|Bob;plain|";
const COMMENTED = '#generated\nname,qty\nAnn,1\n#Bob,2\nCid,3\n';
const SEMICOLON_COMMENTS = 'name,qty\n;skip me\nAnn,1\n#not a comment here,9\n';
const MULTILINE = 'id,text\n1,"first line\nsecond line"\n2,"say ""hi"""\n';
const CRLF = 'k,v\r\na,1\r\nb,2\r\n';
// bzip2 -c of: id,item,qty\n1,apple,3\n2,pear,5\n3,"fig, dried",7\n
const BZIP2_CSV = Buffer.from(
  'QlpoOTFBWSZTWemdPCYAABDZgAAQUAQ6gCemdCAgADFGjIGjTI0ImSaeU8JD1PKWadGw71FM5xMAojhA97n7NuSRSmpFRDtLb8XckU4UJDpnTwmA',
  'base64',
);
const GZIP_CSV = gzipSync('id,item,qty\n1,apple,3\n2,pear,5\n3,"fig, dried",7\n');

const use: InputSerialization = { CSV: { FileHeaderInfo: 'USE' } };

const cases: SelectCase[] = [
  {
    name: 'USE: names in WHERE and SELECT',
    key: 'people.csv',
    sql: 'SELECT s.name FROM S3Object s WHERE CAST(s.score AS FLOAT) > 80',
    input: use,
    want: 'Ann\nCid\n',
  },
  {
    name: 'USE: SELECT * keeps every field; a field with the delimiter is quoted as needed',
    key: 'people.csv',
    sql: 'SELECT * FROM S3Object LIMIT 2',
    input: use,
    want: 'Ann,30,Paris,88.5\nBob,41,"New York, NY",72.25\n',
  },
  {
    name: 'USE: a quoted column name',
    key: 'people.csv',
    sql: `SELECT "city" FROM S3Object WHERE name = 'Dee'`,
    input: use,
    want: 'Oslo\n',
  },
  {
    name: 'USE: an empty field is an empty string',
    key: 'people.csv',
    sql: `SELECT name FROM S3Object s WHERE s.age = ''`,
    input: use,
    want: 'Dee\n',
  },
  {
    name: 'IGNORE: the header is skipped, columns are positional',
    key: 'people.csv',
    sql: `SELECT s._1, s._3 FROM S3Object s WHERE s._2 = '25'`,
    input: { CSV: { FileHeaderInfo: 'IGNORE' } },
    want: 'Cid,Rome\n',
  },
  {
    name: 'NONE: the header is a record',
    key: 'people.csv',
    sql: 'SELECT _1 FROM S3Object',
    input: { CSV: { FileHeaderInfo: 'NONE' } },
    want: 'name\nAnn\nBob\nCid\nDee\n',
  },
  {
    name: 'no CSV options: FileHeaderInfo defaults to NONE',
    key: 'people.csv',
    sql: 'SELECT COUNT(*) FROM S3Object',
    input: { CSV: {} },
    want: '5\n',
  },
  {
    name: 'custom field and record delimiters, quote and escape characters',
    key: 'custom.csv',
    sql: 'SELECT s.note, s.name FROM S3Object s',
    input: {
      CSV: {
        FileHeaderInfo: 'USE',
        FieldDelimiter: ';',
        RecordDelimiter: '|',
        QuoteCharacter: "'",
        QuoteEscapeCharacter: '\\',
      },
    },
    want: "it's; fine,Ann\nplain,Bob\n",
  },
  {
    name: 'comment lines start with # by default',
    key: 'commented.csv',
    sql: 'SELECT name FROM S3Object',
    input: use,
    want: 'Ann\nCid\n',
  },
  {
    name: 'a custom comment character',
    key: 'semicolon.csv',
    sql: 'SELECT name, qty FROM S3Object',
    input: { CSV: { FileHeaderInfo: 'USE', Comments: ';' } },
    want: 'Ann,1\n#not a comment here,9\n',
  },
  {
    name: 'AllowQuotedRecordDelimiter: a newline inside quotes stays in the field',
    key: 'multiline.csv',
    sql: 'SELECT s.text FROM S3Object s',
    input: { CSV: { FileHeaderInfo: 'USE', AllowQuotedRecordDelimiter: true } },
    want: '"first line\nsecond line"\n"say ""hi"""\n',
  },
  {
    name: 'CRLF records',
    key: 'crlf.csv',
    sql: 'SELECT v, k FROM S3Object',
    input: { CSV: { FileHeaderInfo: 'USE', RecordDelimiter: '\r\n' } },
    want: '1,a\n2,b\n',
  },
  {
    name: 'GZIP input',
    key: 'items.csv.gz',
    sql: 'SELECT item FROM S3Object WHERE CAST(qty AS INT) >= 5',
    input: { CSV: { FileHeaderInfo: 'USE' }, CompressionType: 'GZIP' },
    want: 'pear\n"fig, dried"\n',
  },
  {
    name: 'BZIP2 input',
    key: 'items.csv.bz2',
    sql: 'SELECT SUM(CAST(qty AS INT)) AS total FROM S3Object',
    input: { CSV: { FileHeaderInfo: 'USE' }, CompressionType: 'BZIP2' },
    want: `${3 + 5 + 7}\n`,
  },
  {
    name: 'output QuoteFields ALWAYS',
    key: 'people.csv',
    sql: 'SELECT name, age FROM S3Object LIMIT 2',
    input: use,
    output: { CSV: { QuoteFields: 'ALWAYS' } },
    want: '"Ann","30"\n"Bob","41"\n',
  },
  {
    name: 'output QuoteFields ASNEEDED quotes only fields that need it',
    key: 'people.csv',
    sql: `SELECT name, city FROM S3Object WHERE name IN ('Ann', 'Bob')`,
    input: use,
    output: { CSV: { QuoteFields: 'ASNEEDED' } },
    want: 'Ann,Paris\nBob,"New York, NY"\n',
  },
  {
    name: 'output with tab fields, CRLF records and a custom quote',
    key: 'people.csv',
    sql: 'SELECT name, city FROM S3Object LIMIT 2',
    input: use,
    output: {
      CSV: { FieldDelimiter: '\t', RecordDelimiter: '\r\n', QuoteCharacter: "'", QuoteFields: 'ALWAYS' },
    },
    want: "'Ann'\t'Paris'\r\n'Bob'\t'New York, NY'\r\n",
  },
  {
    name: 'output quote escape character',
    key: 'multiline.csv',
    sql: `SELECT s.text FROM S3Object s WHERE s.id = '2'`,
    input: { CSV: { FileHeaderInfo: 'USE', AllowQuotedRecordDelimiter: true } },
    output: { CSV: { QuoteEscapeCharacter: '\\' } },
    want: '"say \\"hi\\""\n',
  },
  {
    name: 'JSON output of CSV input keeps the header names',
    key: 'people.csv',
    sql: "SELECT name, city AS town FROM S3Object s WHERE s.name = 'Cid'",
    input: use,
    output: { JSON: {} },
    want: '{"name":"Cid","town":"Rome"}\n',
  },
];

describe('S3 Select: CSV input', () => {
  let strata: TestStrata;
  const bucket = bucketName('select-csv');

  before(async () => {
    strata = await startStrata();
    await strata.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const objects: Array<[string, string | Uint8Array]> = [
      ['people.csv', PEOPLE],
      ['custom.csv', CUSTOM],
      ['commented.csv', COMMENTED],
      ['semicolon.csv', SEMICOLON_COMMENTS],
      ['multiline.csv', MULTILINE],
      ['crlf.csv', CRLF],
      ['items.csv.gz', GZIP_CSV],
      ['items.csv.bz2', BZIP2_CSV],
    ];
    for (const [key, body] of objects) await putText(strata.s3, bucket, key, body);
  });

  after(async () => {
    await emptyAndDeleteBucket(strata.s3, bucket);
    await strata.close();
  });

  for (const c of cases) {
    it(c.name, async () => {
      await checkCase(strata.s3, bucket, c);
    });
  }
});
