/**
 * UTF-8 bytes → text for the CSV and JSON readers, a character split between
 * chunks included. StringDecoder validates and converts every byte (a sixth
 * of a CSV scan); most input is ASCII, which buffer.isAscii checks at memory
 * speed and latin1 turns into a one-byte string with a plain copy. The
 * decoder takes over for any chunk that is not ASCII, and for the chunk after
 * one that may have ended inside a character.
 */
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';

export class Utf8Text {
  private readonly decoder = new StringDecoder('utf8');
  /** True when the decoder holds no partial character. */
  private clean = true;

  write(chunk: Buffer): string {
    if (this.clean && isAscii(chunk)) return chunk.toString('latin1');
    const text = this.decoder.write(chunk);
    this.clean = chunk.length > 0 && chunk[chunk.length - 1]! < 0x80;
    return text;
  }

  end(): string {
    return this.decoder.end();
  }
}
