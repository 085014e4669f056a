/**
 * XML rendering and parsing for S3 bodies. Rendering is a tiny builder over
 * plain objects (element order is the object's key order, which S3 clients
 * do not depend on but humans reading responses appreciate); parsing uses
 * fast-xml-parser with entity expansion off and turns any failure into
 * MalformedXML.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Readable } from 'node:stream';
import { errors, S3Error } from '../../shared/errors.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A value in an XML tree: text, a nested element, or repeated elements (array). */
export type XmlValue = string | number | boolean | Date | undefined | null | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"'\r]/g, (c) =>
    c === '&'
      ? '&amp;'
      : c === '<'
        ? '&lt;'
        : c === '>'
          ? '&gt;'
          : c === '"'
            ? '&quot;'
            : c === "'"
              ? '&apos;'
              : '&#13;',
  );
}

function renderValue(name: string, v: XmlValue, out: string[]): void {
  if (v === undefined || v === null) return;
  if (Array.isArray(v)) {
    for (const item of v) renderValue(name, item, out);
    return;
  }
  if (v instanceof Date) {
    out.push(`<${name}>${v.toISOString()}</${name}>`);
  } else if (typeof v === 'object') {
    out.push(`<${name}>`);
    for (const [k, child] of Object.entries(v)) renderValue(k, child, out);
    out.push(`</${name}>`);
  } else {
    out.push(`<${name}>${escapeXml(String(v))}</${name}>`);
  }
}

/** Renders `<?xml …?><root xmlns="…">…</root>`. */
export function renderXml(root: string, body: XmlNode, opts: { xmlns?: boolean } = {}): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(opts.xmlns === false ? `<${root}>` : `<${root} xmlns="${S3_XMLNS}">`);
  for (const [k, v] of Object.entries(body)) renderValue(k, v, out);
  out.push(`</${root}>`);
  return out.join('');
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  // Resolves numeric character references (&#x0A;) too: SDKs write CR and LF that way.
  htmlEntities: true,
  ignoreDeclaration: true,
});

/**
 * Parses an S3 request body and returns the children of `root`. Throws
 * MalformedXML if the document is not well-formed or its root differs.
 */
export function parseXml(text: string, root: string): XmlNode {
  if (text.trim() === '') throw errors.malformedXML();
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw errors.malformedXML();
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw errors.malformedXML();
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (e) {
    throw new S3Error('MalformedXML', undefined, { cause: e });
  }
  if (typeof doc !== 'object' || doc === null) throw errors.malformedXML();
  const top = (doc as Record<string, unknown>)[root];
  if (top === undefined) throw errors.malformedXML();
  if (top === '' || typeof top === 'string') return {};
  return top as XmlNode;
}

/** Children named `name` as an array (fast-xml-parser gives a lone child as a scalar). */
export function childList(node: XmlNode | undefined, name: string): XmlValue[] {
  const v = node?.[name];
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Text of a child element, or undefined. Throws MalformedXML if it is not text. */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') throw errors.malformedXML();
  return String(v);
}

/** Reads a request body into a string, refusing bodies over `limit` bytes. */
export async function readBodyText(body: Readable, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    n += b.length;
    if (n > limit) throw errors.make('MaxMessageLengthExceeded');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
