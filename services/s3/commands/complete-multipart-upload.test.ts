import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../../shared/errors.js';
import { parseCompleteMultipartUpload } from './complete-multipart-upload.js';

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

describe('CompleteMultipartUpload body', () => {
  it('reads parts in document order with quoted ETags and checksums', () => {
    const parts = parseCompleteMultipartUpload(
      `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload ${NS}>` +
        '<Part><ETag>&quot;aa&quot;</ETag><PartNumber>1</PartNumber><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>' +
        '<Part><PartNumber> 3 </PartNumber><ETag>bb</ETag></Part>' +
        '<Part><PartNumber>2</PartNumber><ETag>"cc"</ETag></Part>' +
        '</CompleteMultipartUpload>',
    );
    assert.deepEqual(parts, [
      { partNumber: 1, etag: '"aa"', checksum: 'AAAAAA==' },
      { partNumber: 3, etag: '"bb"', checksum: undefined },
      { partNumber: 2, etag: '"cc"', checksum: undefined },
    ]);
  });

  const bad: [string, string, string][] = [
    ['empty body', '', 'MalformedXML'],
    ['whitespace', '   \n', 'MalformedXML'],
    ['not XML', 'parts please', 'MalformedXML'],
    ['unclosed', '<CompleteMultipartUpload><Part>', 'MalformedXML'],
    [
      'other root',
      '<CompleteUpload><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></CompleteUpload>',
      'MalformedXML',
    ],
    ['no parts', `<CompleteMultipartUpload ${NS}></CompleteMultipartUpload>`, 'MalformedXML'],
    ['self-closed', '<CompleteMultipartUpload/>', 'MalformedXML'],
    [
      'no part number',
      '<CompleteMultipartUpload><Part><ETag>a</ETag></Part></CompleteMultipartUpload>',
      'MalformedXML',
    ],
    [
      'text part number',
      '<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>',
      'MalformedXML',
    ],
    [
      'nested part number',
      '<CompleteMultipartUpload><Part><PartNumber><X>1</X></PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>',
      'MalformedXML',
    ],
    ['text part', '<CompleteMultipartUpload><Part>1</Part></CompleteMultipartUpload>', 'MalformedXML'],
    [
      'part number 0',
      '<CompleteMultipartUpload><Part><PartNumber>0</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>',
      'InvalidArgument',
    ],
    [
      'no ETag',
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>',
      'InvalidPart',
    ],
    [
      'entity declaration',
      '<!DOCTYPE x [<!ENTITY a "b">]><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&a;</ETag></Part></CompleteMultipartUpload>',
      'MalformedXML',
    ],
  ];
  for (const [name, body, want] of bad) {
    it(`rejects ${name} with ${want}`, () => {
      assert.throws(
        () => parseCompleteMultipartUpload(body),
        (e: unknown) => e instanceof S3Error && e.code === want,
      );
    });
  }
});
