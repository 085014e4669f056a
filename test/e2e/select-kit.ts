/**
 * Tools for the S3 Select end-to-end tests: run a SelectObjectContent through
 * the real SDK and collect what a user's code sees while iterating
 * `response.Payload` (Records bytes, Progress, Stats, End, or the error the
 * SDK throws for an error event).
 */
import {
  PutObjectCommand,
  SelectObjectContentCommand,
  type InputSerialization,
  type OutputSerialization,
  type S3Client,
  type SelectObjectContentCommandInput,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';

export interface SelectStats {
  readonly scanned: number;
  readonly processed: number;
  readonly returned: number;
}

export interface SelectOutcome {
  /** Records payloads, concatenated, as text. */
  readonly records: string;
  readonly recordEvents: number;
  /** Event names in order: Records, Progress, Stats, Cont, End. */
  readonly events: readonly string[];
  readonly progress: readonly SelectStats[];
  readonly stats: SelectStats | undefined;
  readonly ended: boolean;
  /** The error the SDK threw while iterating (an error event). */
  readonly error: { readonly code: string; readonly message: string } | undefined;
}

interface Details {
  BytesScanned?: number;
  BytesProcessed?: number;
  BytesReturned?: number;
}

function statsOf(d: Details | undefined): SelectStats {
  return {
    scanned: d?.BytesScanned ?? -1,
    processed: d?.BytesProcessed ?? -1,
    returned: d?.BytesReturned ?? -1,
  };
}

export type SelectInput = Omit<SelectObjectContentCommandInput, 'ExpressionType' | 'OutputSerialization'> & {
  OutputSerialization?: OutputSerialization;
};

/** Runs a select; the HTTP-level failure (before the stream) is thrown as the SDK throws it. */
export async function select(s3: S3Client, input: SelectInput): Promise<SelectOutcome> {
  const command = new SelectObjectContentCommand({
    ExpressionType: 'SQL',
    OutputSerialization: { CSV: {} },
    ...input,
  });
  let res;
  try {
    res = await s3.send(command);
  } catch (e) {
    // The SDK reads the first event before it returns: an error event that
    // comes first is thrown by send() itself, on a 200 response.
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    if (err.$metadata?.httpStatusCode !== 200) throw e;
    const error = { code: err.name, message: err.message };
    return { records: '', recordEvents: 0, events: [], progress: [], stats: undefined, ended: false, error };
  }
  assert.ok(res.Payload, 'the response has an event stream');
  const chunks: Buffer[] = [];
  const events: string[] = [];
  const progress: SelectStats[] = [];
  let stats: SelectStats | undefined;
  let ended = false;
  let recordEvents = 0;
  let error: SelectOutcome['error'];
  try {
    for await (const ev of res.Payload) {
      if (ev.Records) {
        recordEvents++;
        events.push('Records');
        chunks.push(Buffer.from(ev.Records.Payload ?? new Uint8Array()));
      } else if (ev.Progress) {
        events.push('Progress');
        progress.push(statsOf(ev.Progress.Details));
      } else if (ev.Stats) {
        events.push('Stats');
        stats = statsOf(ev.Stats.Details);
      } else if (ev.Cont) {
        events.push('Cont');
      } else if (ev.End) {
        events.push('End');
        ended = true;
      }
    }
  } catch (e) {
    const err = e as { name: string; message: string };
    error = { code: err.name, message: err.message };
  }
  return {
    records: Buffer.concat(chunks).toString('utf8'),
    recordEvents,
    events,
    progress,
    stats,
    ended,
    error,
  };
}

/** The records of a select that must succeed (fails the test on an error event). */
export async function selectText(s3: S3Client, input: SelectInput): Promise<string> {
  const out = await select(s3, input);
  assert.equal(out.error, undefined, `unexpected error event: ${JSON.stringify(out.error)}`);
  assert.ok(out.ended, 'the stream ends with End');
  return out.records;
}

export async function putText(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

/** One row of a query table: an object, a query and what the user must get back. */
export interface SelectCase {
  readonly name: string;
  readonly key: string;
  readonly sql: string;
  readonly input: InputSerialization;
  readonly output?: OutputSerialization;
  /** Expected records text, or the code of the error event. */
  readonly want: string | { readonly error: string };
}

/** Runs one table case and asserts its outcome. */
export async function checkCase(s3: S3Client, bucket: string, c: SelectCase): Promise<void> {
  const out = await select(s3, {
    Bucket: bucket,
    Key: c.key,
    Expression: c.sql,
    InputSerialization: c.input,
    ...(c.output ? { OutputSerialization: c.output } : {}),
  });
  if (typeof c.want === 'string') {
    assert.equal(out.error, undefined, `unexpected error event: ${JSON.stringify(out.error)}`);
    assert.equal(out.records, c.want);
    assert.ok(out.ended);
  } else {
    assert.equal(out.error?.code, c.want.error, `records: ${JSON.stringify(out.records)}`);
  }
}

/** JSON output lines parsed (one object per record). */
export function jsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
}
