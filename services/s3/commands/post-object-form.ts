/**
 * Reads the multipart/form-data body of a POST Object as it streams: the
 * fields before the file part are collected (at most 20 KB of them, S3's
 * limit), then the file part is handed over as a stream, never buffered.
 * Fields after the file are ignored, as S3 ignores them.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
 *
 * Only the part named "file" is the file (S3 counts any other part with a
 * filename as a field). A "file" part without a filename is a text upload;
 * busboy hands such a part over as a field, so its size is capped at 1 MiB.
 */
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { errors, S3Error } from '../../../shared/errors.js';
import type { FormField } from '../auth/post-policy-check.js';

/** S3's limit on the form data before the file: 20 KB. */
export const MAX_PRE_FILE_BYTES = 20 * 1024;
/** A file sent as a plain text part is held in memory by the parser: keep it small. */
const MAX_TEXT_FILE_BYTES = 1024 * 1024;

export interface PostFormFile {
  readonly stream: Readable;
  /** The filename parameter of the part, as sent (undefined when the part had none). */
  readonly filename: string | undefined;
}

export interface PostFormHead {
  /** The fields before the file, by lower-case name (repeated fields joined with ","). */
  readonly fields: Map<string, FormField>;
  readonly file: PostFormFile | undefined;
}

export interface PostFormReader {
  /** Resolves at the file part (or at the end of a form without one). */
  readonly head: Promise<PostFormHead>;
  /** Resolves once the whole body has been read (the file must be consumed first). */
  readonly done: Promise<void>;
  /** Stops parsing and lets the rest of the request drain (after an error). */
  abort(): void;
}

/** What a parser failure means to the client: a body cut short, or one that is not multipart/form-data. */
export function formError(e: unknown): S3Error {
  if (e instanceof S3Error) return e;
  if (e instanceof Error && /unexpected end/i.test(e.message)) return errors.make('IncompleteBody');
  return new S3Error('MalformedPOSTRequest', undefined, { cause: e });
}

function preDataTooLarge(): S3Error {
  return errors.make('MaxPostPreDataLengthExceeded', undefined, {
    MaxPostPreDataLengthBytes: MAX_PRE_FILE_BYTES,
  });
}

export function readPostForm(req: IncomingMessage): PostFormReader {
  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: req.headers,
      preservePath: true,
      defParamCharset: 'utf8',
      limits: { fieldSize: MAX_TEXT_FILE_BYTES, fieldNameSize: 1024, headerPairs: 64 },
    });
  } catch (e) {
    // No boundary, or not multipart at all.
    throw formError(e);
  }
  const fields = new Map<string, FormField>();
  let preData = 0;
  let file: PostFormFile | undefined;
  let settled = false;
  let resolveHead!: (h: PostFormHead) => void;
  let rejectHead!: (e: unknown) => void;
  const head = new Promise<PostFormHead>((resolve, reject) => {
    resolveHead = resolve;
    rejectHead = reject;
  });
  const done = new Promise<void>((resolve, reject) => {
    bb.on('close', resolve);
    bb.on('error', reject);
  });
  done.catch(() => {});

  const settle = (f: PostFormFile | undefined): void => {
    if (settled) return;
    settled = true;
    file = f;
    resolveHead({ fields, file });
  };
  const fail = (e: S3Error): void => {
    if (!settled) {
      settled = true;
      rejectHead(e);
    } else if (file && !file.stream.readableEnded) file.stream.destroy(e);
  };
  const addField = (name: string, value: string): void => {
    preData += Buffer.byteLength(name) + Buffer.byteLength(value);
    if (preData > MAX_PRE_FILE_BYTES) return fail(preDataTooLarge());
    const lower = name.toLowerCase();
    const seen = fields.get(lower);
    // Repeated fields count as one, their values joined with commas (as the policy sees them).
    fields.set(lower, seen ? { name: seen.name, value: `${seen.value},${value}` } : { name, value });
  };

  bb.on('field', (name, value, info) => {
    if (settled) return;
    if (name.toLowerCase() === 'file') {
      if (info.valueTruncated)
        return fail(errors.make('EntityTooLarge', undefined, { MaxSizeAllowed: MAX_TEXT_FILE_BYTES }));
      return settle({ stream: Readable.from([Buffer.from(value, 'utf8')]), filename: undefined });
    }
    if (info.valueTruncated || info.nameTruncated) return fail(preDataTooLarge());
    addField(name, value);
  });
  bb.on('file', (name, stream, info) => {
    if (settled) {
      stream.resume();
      return;
    }
    if (name.toLowerCase() === 'file') return settle({ stream, filename: info.filename });
    // A part with a filename but another name is a field to S3: read it, within the 20 KB budget.
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (preData + size > MAX_PRE_FILE_BYTES) {
        fail(preDataTooLarge());
        return;
      }
      chunks.push(c);
    });
    stream.on('end', () => addField(name, Buffer.concat(chunks).toString('utf8')));
  });
  bb.on('close', () => settle(undefined));
  bb.on('error', (e: unknown) => fail(formError(e)));

  req.pipe(bb);
  return {
    head,
    done,
    abort() {
      req.unpipe(bb);
      bb.destroy();
      if (!req.readableEnded) req.resume();
    },
  };
}
