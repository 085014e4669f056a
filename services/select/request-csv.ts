/**
 * CSVInput and CSVOutput of a SelectObjectContentRequest, with S3's defaults:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CSVInput.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CSVOutput.html
 *
 * Delimiters, quote and escape characters are single characters; a record
 * delimiter may also be two (CRLF), as MinIO and AWS accept. An element sent
 * empty means its default, except Comments, where empty means "no comment lines".
 */
import { errors } from '../../shared/errors.js';
import type { XmlNode } from '../s3/xml.js';
import { enumOf, textOf } from './request-xml.js';
import type { CsvInputOptions, CsvOutputOptions } from './types.js';

function character(node: XmlNode | undefined, name: string, fallback: string, maxLength = 1): string {
  const v = textOf(node, name);
  if (v === undefined || v === '') return fallback;
  if ([...v].length > maxLength) {
    throw errors.make(
      'InvalidRequestParameter',
      `${name} must be a single character, got ${JSON.stringify(v)}.`,
    );
  }
  return v;
}

function booleanText(node: XmlNode | undefined, name: string): boolean {
  const v = textOf(node, name)?.trim().toUpperCase();
  if (v === undefined || v === '' || v === 'FALSE') return false;
  if (v === 'TRUE') return true;
  throw errors.make('InvalidRequestParameter', `${name} must be TRUE or FALSE.`);
}

function checkDistinct(fieldDelimiter: string, recordDelimiter: string, quote: string): void {
  if (fieldDelimiter === recordDelimiter || recordDelimiter.includes(fieldDelimiter)) {
    throw errors.make('InvalidRequestParameter', 'FieldDelimiter and RecordDelimiter must differ.');
  }
  if (quote === fieldDelimiter || recordDelimiter.includes(quote)) {
    throw errors.make('InvalidRequestParameter', 'QuoteCharacter must differ from the delimiters.');
  }
}

export function parseCsvInput(node: XmlNode | undefined): CsvInputOptions {
  const fileHeaderInfo = enumOf(
    textOf(node, 'FileHeaderInfo'),
    ['USE', 'IGNORE', 'NONE'] as const,
    'NONE',
    () => errors.make('InvalidFileHeaderInfo'),
  );
  const fieldDelimiter = character(node, 'FieldDelimiter', ',');
  const recordDelimiter = character(node, 'RecordDelimiter', '\n', 2);
  const quoteCharacter = character(node, 'QuoteCharacter', '"');
  const quoteEscapeCharacter = character(node, 'QuoteEscapeCharacter', '"');
  // AWS: "The default character is #." Sent empty, no line is a comment.
  const commentsText = textOf(node, 'Comments');
  const comments = commentsText === undefined ? '#' : character(node, 'Comments', '');
  checkDistinct(fieldDelimiter, recordDelimiter, quoteCharacter);
  return {
    fileHeaderInfo,
    fieldDelimiter,
    recordDelimiter,
    quoteCharacter,
    quoteEscapeCharacter,
    comments,
    allowQuotedRecordDelimiter: booleanText(node, 'AllowQuotedRecordDelimiter'),
  };
}

export function parseCsvOutput(node: XmlNode | undefined): CsvOutputOptions {
  const quoteFields = enumOf(textOf(node, 'QuoteFields'), ['ALWAYS', 'ASNEEDED'] as const, 'ASNEEDED', () =>
    errors.make('InvalidQuoteFields'),
  );
  const fieldDelimiter = character(node, 'FieldDelimiter', ',');
  const recordDelimiter = character(node, 'RecordDelimiter', '\n', 2);
  const quoteCharacter = character(node, 'QuoteCharacter', '"');
  checkDistinct(fieldDelimiter, recordDelimiter, quoteCharacter);
  return {
    quoteFields,
    fieldDelimiter,
    recordDelimiter,
    quoteCharacter,
    quoteEscapeCharacter: character(node, 'QuoteEscapeCharacter', '"'),
  };
}
