/**
 * The SelectObjectContentRequest XML body, parsed and validated into a typed
 * SelectRequest with S3's defaults filled in.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_SelectObjectContent.html
 * (CSVInput, JSONInput, CSVOutput, JSONOutput, ScanRange are its sub-types.)
 *
 * Enumerated values are accepted case-insensitively (AWS's own examples write
 * "Use" for FileHeaderInfo USE).
 */
import { errors } from '../../shared/errors.js';
import { parseXml, type XmlNode } from '../s3/xml.js';
import { parseCsvInput, parseCsvOutput } from './request-csv.js';
import { childNode, enumOf, protectCharacterReferences, textOf } from './request-xml.js';
import {
  SELECT_LIMITS,
  type CsvInputOptions,
  type CsvOutputOptions,
  type JsonInputOptions,
  type JsonOutputOptions,
} from './types.js';

export type CompressionType = 'NONE' | 'GZIP' | 'BZIP2';

export type InputSerialization =
  | { readonly format: 'CSV'; readonly compression: CompressionType; readonly csv: CsvInputOptions }
  | { readonly format: 'JSON'; readonly compression: CompressionType; readonly json: JsonInputOptions }
  | { readonly format: 'Parquet'; readonly compression: 'NONE' };

export type OutputSerialization =
  | { readonly format: 'CSV'; readonly csv: CsvOutputOptions }
  | { readonly format: 'JSON'; readonly json: JsonOutputOptions };

/** ScanRange as the request gave it: inclusive byte offsets, either may be absent. */
export interface RequestedScanRange {
  readonly start: number | undefined;
  readonly end: number | undefined;
}

export interface SelectRequest {
  readonly expression: string;
  readonly input: InputSerialization;
  readonly output: OutputSerialization;
  readonly requestProgress: boolean;
  readonly scanRange: RequestedScanRange | undefined;
}

function booleanOf(value: string | undefined, name: string): boolean {
  if (value === undefined || value.trim() === '') return false;
  const v = value.trim().toUpperCase();
  if (v === 'TRUE') return true;
  if (v === 'FALSE') return false;
  throw errors.make('InvalidRequestParameter', `The value of ${name} is not a boolean: ${value}`);
}

function parseInput(node: XmlNode | undefined): InputSerialization {
  if (node === undefined) throw missing('InputSerialization');
  const formats = (['CSV', 'JSON', 'Parquet'] as const).filter((f) => node[f] !== undefined);
  if (formats.length > 1) throw errors.make('ObjectSerializationConflict');
  const format = formats[0];
  if (format === undefined) throw missing('InputSerialization (CSV, JSON or Parquet)');
  const compression = enumOf(
    textOf(node, 'CompressionType'),
    ['NONE', 'GZIP', 'BZIP2'] as const,
    'NONE',
    () => errors.make('InvalidCompressionFormat'),
  );
  if (format === 'Parquet') {
    // "Amazon S3 Select does not support whole-object compression for Parquet objects."
    if (compression !== 'NONE') {
      throw errors.make(
        'InvalidCompressionFormat',
        'Whole-object compression is not supported for Parquet objects; Parquet compresses its columns itself.',
      );
    }
    return { format, compression };
  }
  if (format === 'CSV') return { format, compression, csv: parseCsvInput(childNode(node, 'CSV')) };
  const type = enumOf(
    textOf(childNode(node, 'JSON'), 'Type'),
    ['DOCUMENT', 'LINES'] as const,
    'DOCUMENT',
    () => errors.make('InvalidJsonType'),
  );
  return { format, compression, json: { type } };
}

function parseOutput(node: XmlNode | undefined): OutputSerialization {
  if (node === undefined) throw missing('OutputSerialization');
  const formats = (['CSV', 'JSON'] as const).filter((f) => node[f] !== undefined);
  if (formats.length > 1) {
    throw errors.make(
      'ObjectSerializationConflict',
      'The OutputSerialization specified more than one format.',
    );
  }
  const format = formats[0];
  if (format === undefined) throw missing('OutputSerialization (CSV or JSON)');
  if (format === 'CSV') return { format, csv: parseCsvOutput(childNode(node, 'CSV')) };
  const delimiter = textOf(childNode(node, 'JSON'), 'RecordDelimiter');
  if (delimiter !== undefined && (delimiter.length < 1 || delimiter.length > 2)) {
    throw errors.make('InvalidRequestParameter', 'JSON RecordDelimiter must be one or two characters.');
  }
  return { format, json: { recordDelimiter: delimiter ?? '\n' } };
}

function offsetOf(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!/^\d{1,16}$/.test(t))
    throw errors.make('InvalidScanRange', `ScanRange ${name} must be a non-negative integer.`);
  return Number(t);
}

function parseScanRange(
  node: XmlNode | undefined,
  input: InputSerialization,
): RequestedScanRange | undefined {
  if (node === undefined) return undefined;
  const start = offsetOf(textOf(node, 'Start'), 'Start');
  const end = offsetOf(textOf(node, 'End'), 'End');
  // "This parameter is optional, but when specified, it must not be empty."
  if (start === undefined && end === undefined) throw errors.make('InvalidScanRange');
  if (start !== undefined && end !== undefined && start > end) {
    throw errors.make('InvalidScanRange', 'ScanRange Start must not be greater than End.');
  }
  // Scan ranges need record boundaries that can be found from any offset:
  // uncompressed CSV without quoted record delimiters, and JSON LINES.
  const supported =
    input.compression === 'NONE' &&
    ((input.format === 'CSV' && !input.csv.allowQuotedRecordDelimiter) ||
      (input.format === 'JSON' && input.json.type === 'LINES'));
  if (!supported) throw errors.make('UnsupportedScanRangeInput');
  return { start, end };
}

function missing(what: string): Error {
  return errors.make(
    'MissingRequiredParameter',
    `The SelectRequest entity is missing a required parameter: ${what}.`,
  );
}

/** Parses the request body; every failure is an S3Error with S3 Select's code. */
export function parseSelectRequest(xml: string): SelectRequest {
  if (xml.trim() === '') throw errors.make('EmptyRequestBody');
  const root = parseXml(protectCharacterReferences(xml), 'SelectObjectContentRequest');
  const expression = textOf(root, 'Expression');
  if (expression === undefined || expression.trim() === '') throw missing('Expression');
  if (Buffer.byteLength(expression, 'utf8') > SELECT_LIMITS.maxExpressionBytes) {
    throw errors.make('ExpressionTooLong');
  }
  const type = textOf(root, 'ExpressionType');
  if (type === undefined) throw missing('ExpressionType');
  if (type.trim().toUpperCase() !== 'SQL') throw errors.make('InvalidExpressionType');
  const input = parseInput(childNode(root, 'InputSerialization'));
  const output = parseOutput(childNode(root, 'OutputSerialization'));
  const progress = childNode(root, 'RequestProgress');
  return {
    expression,
    input,
    output,
    requestProgress: booleanOf(textOf(progress, 'Enabled'), 'RequestProgress.Enabled'),
    scanRange: parseScanRange(childNode(root, 'ScanRange'), input),
  };
}
