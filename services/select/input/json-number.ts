/**
 * JSON numbers as JSON.parse reads them, from text that the JSON grammar
 * already accepted (json-line-shapes.ts captures them with a RegExp).
 */

/** 10^k exactly, for k up to 15. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * A JSON number as JSON.parse reads it. Up to 15 digits without an exponent:
 * the digits as an integer and 10^k are both exact, so their one division
 * rounds correctly, to the double Number() gives (Clinger's fast path).
 * Otherwise Number(), which rounds JSON numbers as JSON.parse does.
 */
export function jsonNumber(text: string): number {
  const n = text.length;
  const neg = text.charCodeAt(0) === 45;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (let i = neg ? 1 : 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 46) {
      fraction = 0;
    } else {
      return Number(text); // an exponent
    }
  }
  if (digits > 15) return Number(text);
  const v = fraction > 0 ? mantissa / POW10[fraction]! : mantissa;
  return neg ? -v : v;
}
