import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { S3Error } from '../../../shared/errors.js';
import { AwsChunkedDecoder, type AwsChunkedDecoderOptions } from './aws-chunked-decoder.js';
import { credentialScope, sha256Hex } from './canonical-request.js';
import { ChunkSigner, type ChunkSigningContext } from './chunk-signer.js';
import { deriveSigningKey, signString } from './signing-key.js';

const CONTEXT: ChunkSigningContext = {
  signingKey: deriveSigningKey('test-secret-key', '20240101', 'us-east-1', 's3'),
  amzDate: '20240101T000000Z',
  scope: credentialScope('20240101', 'us-east-1', 's3'),
  accessKey: 'AKTEST',
  seedSignature: 'a'.repeat(64),
};
const PAYLOAD = Buffer.from('hello world, this is aws-chunked!');
const CRC = ['x-amz-checksum-crc32', 'AAAAAA=='] as const;

type Mode = 'unsigned-trailer' | 'signed' | 'signed-trailer';

/** Encodes `payload` in chunks of the given sizes (then the final empty chunk), as a client would. */
function encode(
  mode: Mode,
  payload: Buffer,
  sizes: number[],
  trailers: ReadonlyArray<readonly [string, string]> = [],
): Buffer {
  const signer = new ChunkSigner(CONTEXT);
  const sign = (data: Buffer): string => {
    const sig = signString(CONTEXT.signingKey, signer.chunkStringToSign(sha256Hex(data)));
    signer.verifyChunk(sha256Hex(data), sig); // moves the chain on
    return sig;
  };
  const parts: Buffer[] = [];
  let at = 0;
  for (const size of [...sizes, 0]) {
    const data = payload.subarray(at, at + size);
    at += size;
    const ext = mode === 'unsigned-trailer' ? '' : `;chunk-signature=${sign(data)}`;
    parts.push(Buffer.from(`${size.toString(16)}${ext}\r\n`), data);
    if (size > 0) parts.push(Buffer.from('\r\n'));
  }
  if (mode === 'signed') parts.push(Buffer.from('\r\n'));
  else {
    let canonical = '';
    for (const [n, v] of trailers) {
      parts.push(Buffer.from(`${n}:${v}\r\n`));
      canonical += `${n}:${v}\n`;
    }
    if (mode === 'signed-trailer' && trailers.length > 0) {
      const sig = signString(CONTEXT.signingKey, signer.trailerStringToSign(canonical));
      parts.push(Buffer.from(`x-amz-trailer-signature:${sig}\r\n`));
    }
    parts.push(Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

function options(
  mode: Mode,
  decodedLength = PAYLOAD.length,
  declared: string[] = [],
): AwsChunkedDecoderOptions {
  return {
    decodedLength,
    trailer: mode !== 'signed',
    signer: mode === 'unsigned-trailer' ? undefined : new ChunkSigner(CONTEXT),
    declaredTrailers: declared,
  };
}

async function decode(
  pieces: Buffer[],
  opts: AwsChunkedDecoderOptions,
): Promise<{ data: Buffer; trailers: Record<string, string> }> {
  const decoder = new AwsChunkedDecoder(opts);
  Readable.from(pieces).pipe(decoder);
  const out: Buffer[] = [];
  for await (const chunk of decoder) out.push(chunk as Buffer);
  return { data: Buffer.concat(out), trailers: { ...decoder.trailers() } };
}

async function failure(pieces: Buffer[], opts: AwsChunkedDecoderOptions): Promise<string> {
  try {
    await decode(pieces, opts);
  } catch (e) {
    assert.ok(e instanceof S3Error, `not an S3Error: ${String(e)}`);
    return e.code;
  }
  return 'no error';
}

const MODES: Array<[Mode, ReadonlyArray<readonly [string, string]>]> = [
  ['unsigned-trailer', [CRC]],
  ['signed', []],
  ['signed-trailer', [CRC]],
];

describe('AwsChunkedDecoder', () => {
  for (const [mode, trailers] of MODES) {
    const encoded = encode(mode, PAYLOAD, [10, 10, 13], trailers);
    const declared = trailers.map(([n]) => n);

    it(`${mode}: decodes when the input is split at every byte position`, async () => {
      for (let cut = 0; cut <= encoded.length; cut++) {
        const got = await decode(
          [encoded.subarray(0, cut), encoded.subarray(cut)],
          options(mode, PAYLOAD.length, declared),
        );
        assert.deepEqual(got.data, PAYLOAD, `split at ${cut}`);
        assert.deepEqual(got.trailers, Object.fromEntries(trailers), `split at ${cut}`);
      }
    });

    it(`${mode}: decodes when the input arrives one byte at a time`, async () => {
      const bytes = [...encoded].map((b) => Buffer.from([b]));
      assert.deepEqual((await decode(bytes, options(mode, PAYLOAD.length, declared))).data, PAYLOAD);
    });

    it(`${mode}: a body cut short anywhere fails (only the closing empty line may be missing)`, async () => {
      for (let cut = 0; cut < encoded.length; cut++) {
        const code = await failure([encoded.subarray(0, cut)], options(mode, PAYLOAD.length, declared));
        if (cut === encoded.length - 2) assert.equal(code, 'no error', `cut at ${cut}`);
        else assert.ok(['IncompleteBody', 'MalformedTrailerError'].includes(code), `cut at ${cut}: ${code}`);
      }
    });

    it(`${mode}: a declared length that differs from the payload is IncompleteBody`, async () => {
      assert.equal(await failure([encoded], options(mode, PAYLOAD.length + 1, declared)), 'IncompleteBody');
      assert.equal(await failure([encoded], options(mode, PAYLOAD.length - 1, declared)), 'IncompleteBody');
    });
  }

  it('an empty payload is the final chunk alone', async () => {
    const got = await decode([encode('signed', Buffer.alloc(0), [])], options('signed', 0));
    assert.equal(got.data.length, 0);
  });

  it('a tampered chunk signature is SignatureDoesNotMatch, for any chunk', async () => {
    const encoded = encode('signed', PAYLOAD, [10, 10, 13]);
    const text = encoded.toString('latin1');
    for (
      let n = 0, at = text.indexOf('chunk-signature=');
      at >= 0;
      n++, at = text.indexOf('chunk-signature=', at + 1)
    ) {
      const bad = Buffer.from(encoded);
      const i = at + 'chunk-signature='.length;
      bad[i] = bad[i] === 0x30 ? 0x31 : 0x30;
      assert.equal(await failure([bad], options('signed')), 'SignatureDoesNotMatch', `chunk ${n}`);
    }
  });

  it('tampered chunk data is SignatureDoesNotMatch', async () => {
    const bad = encode('signed', PAYLOAD, [10, 10, 13]);
    bad[bad.indexOf('hello') + 1] = 0x45;
    assert.equal(await failure([bad], options('signed')), 'SignatureDoesNotMatch');
  });

  it('a tampered trailer is SignatureDoesNotMatch', async () => {
    const text = encode('signed-trailer', PAYLOAD, [33], [CRC])
      .toString('latin1')
      .replace('AAAAAA==', 'AAAAAB==');
    assert.equal(
      await failure([Buffer.from(text, 'latin1')], options('signed-trailer')),
      'SignatureDoesNotMatch',
    );
  });

  it('signed trailers without x-amz-trailer-signature are MalformedTrailerError', async () => {
    const text = encode('signed-trailer', PAYLOAD, [33], [CRC])
      .toString('latin1')
      .replace(/x-amz-trailer-signature:\w+\r\n/, '');
    assert.equal(
      await failure([Buffer.from(text, 'latin1')], options('signed-trailer')),
      'MalformedTrailerError',
    );
  });

  it('a trailer named in x-amz-trailer that never arrives is MalformedTrailerError', async () => {
    const encoded = encode('unsigned-trailer', PAYLOAD, [33]);
    assert.equal(
      await failure([encoded], options('unsigned-trailer', PAYLOAD.length, ['x-amz-checksum-crc32'])),
      'MalformedTrailerError',
    );
  });

  it('a blank line between the final chunk and the trailers is tolerated', async () => {
    const text = encode('unsigned-trailer', PAYLOAD, [33], [CRC])
      .toString('latin1')
      .replace('0\r\n', '0\r\n\r\n');
    const got = await decode(
      [Buffer.from(text, 'latin1')],
      options('unsigned-trailer', PAYLOAD.length, ['x-amz-checksum-crc32']),
    );
    assert.deepEqual(got.trailers, { 'x-amz-checksum-crc32': 'AAAAAA==' });
  });

  const malformed: Array<[name: string, body: string, code: string]> = [
    ['a size that is not hex', 'zz\r\nhello\r\n0\r\n\r\n', 'InvalidArgument'],
    ['an empty size', '\r\n', 'InvalidArgument'],
    ['a size with spaces', ' 5\r\nhello\r\n0\r\n\r\n', 'InvalidArgument'],
    ['a size larger than the declared length', 'ffffffff\r\n', 'IncompleteBody'],
    ['a huge size', 'fffffffffffffffffff\r\n', 'InvalidArgument'],
    ['data not followed by CRLF', '5\r\nhelloX\r\n0\r\n\r\n', 'InvalidArgument'],
    ['a line ending in a bare LF', '5\nhello\r\n0\r\n\r\n', 'InvalidArgument'],
    ['a trailer line without a colon', '5\r\nhello\r\n0\r\nnonsense\r\n\r\n', 'MalformedTrailerError'],
  ];
  for (const [name, body, code] of malformed) {
    it(`${name} is ${code}`, async () => {
      assert.equal(await failure([Buffer.from(body, 'latin1')], options('unsigned-trailer', 5)), code);
    });
  }

  it('a chunk header without an end is refused after 4 KiB, never buffered further', async () => {
    const endless = Array.from({ length: 64 }, () => Buffer.alloc(1024, 0x31));
    assert.equal(await failure(endless, options('unsigned-trailer', 1 << 30)), 'InvalidArgument');
  });

  it('signed chunks need a chunk-signature', async () => {
    assert.equal(
      await failure([Buffer.from('5\r\nhello\r\n0\r\n\r\n')], options('signed', 5)),
      'InvalidArgument',
    );
  });

  it('bytes after the end of the encoding are ignored', async () => {
    const encoded = Buffer.concat([encode('signed', PAYLOAD, [33]), Buffer.from('garbage')]);
    assert.deepEqual((await decode([encoded], options('signed'))).data, PAYLOAD);
  });
});
