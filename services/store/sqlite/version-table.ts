/** Object versions and delete markers (sqlite). */
import type Sqlite from 'better-sqlite3';
import type { ChecksumAlgorithm, ObjectHttpHeaders, ObjectPart, Tag } from '../types.js';
import type { NewVersion, StoredVersion, VersionTable } from '../metadata/metadata-store.js';
import type { KeyBound } from '../key-order.js';
import { EMPTY_LIST, EMPTY_OBJECT, jsonOrNull, parseOr, rangeSql } from './columns.js';

interface VersionRow {
  seq: number;
  bucket: string;
  key: string;
  version_id: string;
  is_latest: number;
  is_delete_marker: number;
  size: number;
  etag: string;
  last_modified: number;
  storage_class: string;
  headers: string | null;
  user_metadata: string | null;
  tags: string | null;
  checksum_algorithm: string | null;
  checksum: string | null;
  parts: string | null;
  owner_id: string;
  owner_name: string;
  body_ref: string;
}

function toVersion(r: VersionRow): StoredVersion {
  const v: StoredVersion = {
    seq: r.seq,
    bucket: r.bucket,
    key: r.key,
    versionId: r.version_id,
    isLatest: r.is_latest === 1,
    isDeleteMarker: r.is_delete_marker === 1,
    size: r.size,
    etag: r.etag,
    lastModified: new Date(r.last_modified),
    storageClass: r.storage_class,
    headers: parseOr<ObjectHttpHeaders>(r.headers, EMPTY_OBJECT),
    userMetadata: parseOr<Record<string, string>>(r.user_metadata, EMPTY_OBJECT),
    tags: parseOr<Tag[]>(r.tags, EMPTY_LIST as never),
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    bodyRef: r.body_ref,
  };
  if (r.checksum_algorithm !== null)
    Object.assign(v, { checksumAlgorithm: r.checksum_algorithm as ChecksumAlgorithm });
  if (r.checksum !== null) Object.assign(v, { checksum: r.checksum });
  if (r.parts !== null) Object.assign(v, { parts: JSON.parse(r.parts) as ObjectPart[] });
  return v;
}

function* mapRows(rows: IterableIterator<VersionRow>): IterableIterator<StoredVersion> {
  for (const r of rows) yield toVersion(r);
}

type ScanParams = { bucket: string; from: string; before?: string };

export class SqliteVersionTable implements VersionTable {
  private readonly latestStmt: Sqlite.Statement<[string, string], VersionRow>;
  private readonly getStmt: Sqlite.Statement<[string, string, string], VersionRow>;
  private readonly demoteStmt: Sqlite.Statement<[string, string]>;
  private readonly insertStmt: Sqlite.Statement<unknown[]>;
  private readonly removeStmt: Sqlite.Statement<[number]>;
  private readonly promoteStmt: Sqlite.Statement<[string, string]>;
  private readonly tagsStmt: Sqlite.Statement<[string | null, number]>;
  private readonly anyStmt: Sqlite.Statement<[string], number>;
  private readonly olderStmt: Sqlite.Statement<[string, string, number], VersionRow>;
  private readonly scans = new Map<string, Sqlite.Statement<[ScanParams], VersionRow>>();

  constructor(private readonly db: Sqlite.Database) {
    this.latestStmt = db.prepare(
      'SELECT * FROM versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1',
    );
    this.getStmt = db.prepare('SELECT * FROM versions WHERE bucket = ? AND key = ? AND version_id = ?');
    this.demoteStmt = db.prepare(
      'UPDATE versions SET is_latest = 0 WHERE bucket = ? AND key = ? AND is_latest = 1',
    );
    this.insertStmt = db.prepare(
      `INSERT INTO versions (bucket, key, version_id, is_latest, is_delete_marker, size, etag, last_modified,
        storage_class, headers, user_metadata, tags, checksum_algorithm, checksum, parts, owner_id, owner_name, body_ref)
       VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.removeStmt = db.prepare('DELETE FROM versions WHERE seq = ?');
    this.promoteStmt = db.prepare(
      `UPDATE versions SET is_latest = 1 WHERE seq =
        (SELECT seq FROM versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1)`,
    );
    this.tagsStmt = db.prepare('UPDATE versions SET tags = ? WHERE seq = ?');
    this.anyStmt = db.prepare<[string], number>('SELECT 1 FROM versions WHERE bucket = ? LIMIT 1').pluck();
    this.olderStmt = db.prepare(
      'SELECT * FROM versions WHERE bucket = ? AND key = ? AND seq < ? ORDER BY seq DESC',
    );
  }

  latest(bucket: string, key: string): StoredVersion | undefined {
    const r = this.latestStmt.get(bucket, key);
    return r && toVersion(r);
  }

  get(bucket: string, key: string, versionId: string): StoredVersion | undefined {
    const r = this.getStmt.get(bucket, key, versionId);
    return r && toVersion(r);
  }

  insert(v: NewVersion): StoredVersion {
    this.demoteStmt.run(v.bucket, v.key);
    const res = this.insertStmt.run(
      v.bucket,
      v.key,
      v.versionId,
      v.isDeleteMarker ? 1 : 0,
      v.size,
      v.etag,
      v.lastModified.getTime(),
      v.storageClass,
      jsonOrNull(v.headers),
      jsonOrNull(v.userMetadata),
      jsonOrNull(v.tags),
      v.checksumAlgorithm ?? null,
      v.checksum ?? null,
      v.parts ? JSON.stringify(v.parts) : null,
      v.ownerId,
      v.ownerName,
      v.bodyRef,
    );
    return { ...v, seq: Number(res.lastInsertRowid), isLatest: true };
  }

  remove(v: StoredVersion): void {
    this.removeStmt.run(v.seq);
    if (v.isLatest) this.promoteStmt.run(v.bucket, v.key);
  }

  setTags(seq: number, tags: readonly Tag[]): void {
    this.tagsStmt.run(jsonOrNull(tags), seq);
  }

  hasAny(bucket: string): boolean {
    return this.anyStmt.get(bucket) !== undefined;
  }

  scanCurrent(bucket: string, from: KeyBound, before: string | undefined): IterableIterator<StoredVersion> {
    const where = `bucket = @bucket AND is_latest = 1 AND is_delete_marker = 0 AND ${rangeSql(from.inclusive, before !== undefined)}`;
    return this.scan(`SELECT * FROM versions WHERE ${where} ORDER BY key`, bucket, from, before);
  }

  scanAll(bucket: string, from: KeyBound, before: string | undefined): IterableIterator<StoredVersion> {
    const where = `bucket = @bucket AND ${rangeSql(from.inclusive, before !== undefined)}`;
    return this.scan(`SELECT * FROM versions WHERE ${where} ORDER BY key, seq DESC`, bucket, from, before);
  }

  scanOlder(bucket: string, key: string, seq: number): IterableIterator<StoredVersion> {
    return mapRows(this.olderStmt.iterate(bucket, key, seq));
  }

  private scan(
    sql: string,
    bucket: string,
    from: KeyBound,
    before: string | undefined,
  ): IterableIterator<StoredVersion> {
    let stmt = this.scans.get(sql);
    if (!stmt) {
      stmt = this.db.prepare<[ScanParams], VersionRow>(sql);
      this.scans.set(sql, stmt);
    }
    const params: ScanParams =
      before === undefined ? { bucket, from: from.value } : { bucket, from: from.value, before };
    return mapRows(stmt.iterate(params));
  }
}
