/** Small readers over the parsed request XML (fast-xml-parser's tree), shared by request*.ts. */
import { errors } from '../../shared/errors.js';
import type { XmlNode, XmlValue } from '../s3/xml.js';

/** The child element `name` as a node ('' or absent → empty node / undefined). */
export function childNode(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const v: XmlValue = node?.[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v.trim() === '') return {};
  if (Array.isArray(v)) throw errors.malformedXML();
  if (typeof v !== 'object' || v instanceof Date) throw errors.malformedXML();
  return v;
}

/** Text of a child element; a repeated or nested element is MalformedXML. */
export function textOf(node: XmlNode | undefined, name: string): string | undefined {
  const v: XmlValue = node?.[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') throw errors.malformedXML();
  const text = String(v);
  return text.includes(REF_OPEN)
    ? text.replace(PROTECTED_REF, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    : text;
}

const MARKUP: Readonly<Record<string, string>> = {
  '<': '&lt;',
  '&': '&amp;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
// Noncharacters (allowed in XML 1.0 text) that carry a reference through the parser.
const REF_OPEN = '\uFDD0';
const REF_CLOSE = '\uFDD1';
const PROTECTED_REF = new RegExp(`${REF_OPEN}([0-9a-f]{1,6})${REF_CLOSE}`, 'g');

/**
 * Numeric character references (&#x0D; &#10;) must reach textOf intact: the
 * AWS SDK writes "\r" and "\n" in element text that way (RecordDelimiter),
 * the shared parser does not resolve them, and a literal CR would be
 * normalized to LF by XML's end-of-line rule. So they are swapped for marks
 * before parsing and resolved in textOf; references to markup characters
 * become the named entities the parser resolves itself.
 */
export function protectCharacterReferences(xml: string): string {
  return xml.replace(
    /&#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}));/g,
    (ref, hex: string | undefined, dec: string | undefined) => {
      const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
      if (code === 0 || code > 0x10ffff) return ref;
      const markup = MARKUP[String.fromCodePoint(code)];
      return markup ?? `${REF_OPEN}${code.toString(16)}${REF_CLOSE}`;
    },
  );
}

/** An enumerated value, upper-cased, or the code's error when it is not one of `allowed`. */
export function enumOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  onInvalid: () => Error,
): T {
  if (value === undefined) return fallback;
  const up = value.trim().toUpperCase();
  const hit = allowed.find((a) => a === up);
  if (hit === undefined) throw onInvalid();
  return hit;
}
