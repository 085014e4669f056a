/**
 * Version ids: 26 characters of Crockford base32, 48 bits of milliseconds then
 * 80 bits that start random and are incremented within one millisecond, so ids
 * made by this process sort by creation time (ULID-like). The order used by
 * listings is the row sequence, so the ids only need to be unique and URL-safe.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const VALID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

let lastTime = -1;
let lastRandom: number[] = [];

function randomDigits(): number[] {
  return Array.from(randomBytes(16), (b) => b & 31);
}

function increment(digits: number[]): number[] {
  const out = digits.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    if ((out[i] as number) < 31) {
      out[i] = (out[i] as number) + 1;
      return out;
    }
    out[i] = 0;
  }
  return randomDigits(); // 2^80 ids in one millisecond: cannot happen
}

export function newVersionId(now: number = Date.now()): string {
  if (now <= lastTime) {
    lastRandom = increment(lastRandom);
  } else {
    lastTime = now;
    lastRandom = randomDigits();
  }
  let time = '';
  let t = lastTime;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + lastRandom.map((d) => ALPHABET[d]).join('');
}

/** "null" (the null version) or an id this store could have made. */
export function isWellFormedVersionId(id: string): boolean {
  return id === 'null' || VALID.test(id);
}
