/**
 * Times one query two ways: SelectObjectContent through the S3 API (the SDK
 * client, every event consumed, from send to End) and DuckDB on the same
 * local file. Both return the rows so the benchmark can check they agree.
 */
import { SelectObjectContentCommand, type InputSerialization, type S3Client } from '@aws-sdk/client-s3';
import type { DuckDBConnection } from '@duckdb/node-api';

export interface Timed {
  readonly seconds: number;
  /** Output rows (CSV lines for Strata, result rows for DuckDB), as text fields. */
  readonly rows: readonly string[][];
  readonly bytesScanned?: number;
}

export interface StrataSelect {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly sql: string;
  readonly input: InputSerialization;
  /** Keep at most this many output rows (the rest are counted by bytes only). */
  readonly keepRows?: number;
}

export async function timeStrata(
  q: StrataSelect,
): Promise<Timed & { rowCount: number; firstEventMs: number }> {
  const t0 = performance.now();
  const res = await q.s3.send(
    new SelectObjectContentCommand({
      Bucket: q.bucket,
      Key: q.key,
      Expression: q.sql,
      ExpressionType: 'SQL',
      InputSerialization: q.input,
      OutputSerialization: { CSV: {} },
    }),
  );
  const firstEventMs = performance.now() - t0;
  let tail = '';
  let rowCount = 0;
  const rows: string[][] = [];
  const keep = q.keepRows ?? 1000;
  let bytesScanned: number | undefined;
  let ended = false;
  for await (const ev of res.Payload ?? []) {
    if (ev.Records?.Payload) {
      const text = tail + Buffer.from(ev.Records.Payload).toString('utf8');
      const lines = text.split('\n');
      tail = lines.pop() ?? '';
      rowCount += lines.length;
      for (const l of lines) if (rows.length < keep) rows.push(l.split(','));
    } else if (ev.Stats) {
      bytesScanned = ev.Stats.Details?.BytesScanned;
    } else if (ev.End) {
      ended = true;
    }
  }
  if (!ended) throw new Error(`no End event for ${q.sql}`);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, rows, rowCount, firstEventMs, ...(bytesScanned === undefined ? {} : { bytesScanned }) };
}

export async function timeDuckdb(conn: DuckDBConnection, sql: string): Promise<Timed> {
  const t0 = performance.now();
  const reader = await conn.runAndReadAll(sql);
  const rows = reader.getRows().map((r) => r.map((v) => String(v)));
  return { seconds: (performance.now() - t0) / 1000, rows };
}

/** The best (shortest) of `runs` timings. */
export async function bestOf<T extends { seconds: number }>(runs: number, f: () => Promise<T>): Promise<T> {
  let best: T | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await f();
    if (best === undefined || r.seconds < best.seconds) best = r;
  }
  return best!;
}
