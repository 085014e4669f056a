import assert from 'node:assert/strict';
import { StringDecoder } from 'node:string_decoder';
import { describe, it } from 'node:test';
import { Utf8Text } from './utf8-text.js';

/** The text StringDecoder makes of `chunks` (what the readers used before Utf8Text). */
function decoded(chunks: readonly Buffer[]): string {
  const d = new StringDecoder('utf8');
  return chunks.map((c) => d.write(c)).join('') + d.end();
}

function viaUtf8Text(chunks: readonly Buffer[]): string {
  const t = new Utf8Text();
  return chunks.map((c) => t.write(c)).join('') + t.end();
}

describe('Utf8Text', () => {
  const samples = ['plain ASCII, a,b,c\n1,2,3\n', 'é€😀 mixed with ASCII, 名前\n', ''];
  const invalid = Buffer.from([0x61, 0xe2, 0x82, 0x62, 0xff, 0xc3, 0x0a, 0xf0, 0x9f, 0x98]);
  for (const s of samples) {
    it(`every split of ${JSON.stringify(s.slice(0, 12))} reads as StringDecoder reads it`, () => {
      const buf = Buffer.from(s.repeat(3));
      for (let a = 0; a <= buf.length; a++) {
        for (const b of [a, Math.min(buf.length, a + 1), Math.min(buf.length, a + 5)]) {
          const chunks = [buf.subarray(0, a), buf.subarray(a, b), buf.subarray(b)];
          assert.equal(viaUtf8Text(chunks), decoded(chunks));
          assert.equal(viaUtf8Text(chunks), buf.toString('utf8'));
        }
      }
    });
  }
  it('invalid UTF-8 split anywhere: the same replacement characters as StringDecoder', () => {
    const buf = Buffer.concat([Buffer.from('ab'), invalid, Buffer.from('cd'), invalid]);
    for (let a = 0; a <= buf.length; a++) {
      for (let b = a; b <= buf.length; b++) {
        const chunks = [buf.subarray(0, a), buf.subarray(a, b), buf.subarray(b)];
        assert.equal(viaUtf8Text(chunks), decoded(chunks));
      }
    }
  });
});
