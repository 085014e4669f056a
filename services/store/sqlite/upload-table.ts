/** Multipart uploads in progress and their parts (sqlite). */
import type Sqlite from 'better-sqlite3';
import type { ChecksumAlgorithm, ObjectHttpHeaders, Tag } from '../types.js';
import type { StoredPart, StoredUpload, UploadTable } from '../metadata/metadata-store.js';
import type { KeyBound } from '../key-order.js';
import { EMPTY_LIST, EMPTY_OBJECT, jsonOrNull, parseOr, rangeSql } from './columns.js';

interface UploadRow {
  seq: number;
  upload_id: string;
  bucket: string;
  key: string;
  initiated: number;
  owner_id: string;
  owner_name: string;
  storage_class: string;
  checksum_algorithm: string | null;
  headers: string | null;
  user_metadata: string | null;
  tags: string | null;
}

interface PartRow {
  part_number: number;
  blob_id: string | null;
  size: number;
  etag: string;
  checksum: string | null;
  last_modified: number;
}

function toUpload(r: UploadRow): StoredUpload {
  const u: StoredUpload = {
    seq: r.seq,
    uploadId: r.upload_id,
    bucket: r.bucket,
    key: r.key,
    initiated: new Date(r.initiated),
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    storageClass: r.storage_class,
    headers: parseOr<ObjectHttpHeaders>(r.headers, EMPTY_OBJECT),
    userMetadata: parseOr<Record<string, string>>(r.user_metadata, EMPTY_OBJECT),
    tags: parseOr<Tag[]>(r.tags, EMPTY_LIST as never),
  };
  if (r.checksum_algorithm !== null)
    Object.assign(u, { checksumAlgorithm: r.checksum_algorithm as ChecksumAlgorithm });
  return u;
}

function toPart(r: PartRow): StoredPart {
  const p: StoredPart = {
    partNumber: r.part_number,
    blobId: r.blob_id ?? undefined,
    size: r.size,
    etag: r.etag,
    lastModified: new Date(r.last_modified),
  };
  if (r.checksum !== null) Object.assign(p, { checksum: r.checksum });
  return p;
}

function* mapUploads(rows: IterableIterator<UploadRow>): IterableIterator<StoredUpload> {
  for (const r of rows) yield toUpload(r);
}

type ScanParams = { bucket: string; from: string; before?: string };

export class SqliteUploadTable implements UploadTable {
  private readonly insertStmt: Sqlite.Statement<unknown[]>;
  private readonly getStmt: Sqlite.Statement<[string], UploadRow>;
  private readonly removeStmt: Sqlite.Statement<[string]>;
  private readonly anyStmt: Sqlite.Statement<[string], number>;
  private readonly newerStmt: Sqlite.Statement<[string, string, number], UploadRow>;
  private readonly getPartStmt: Sqlite.Statement<[string, number], PartRow>;
  private readonly putPartStmt: Sqlite.Statement<unknown[]>;
  private readonly partsStmt: Sqlite.Statement<[string], PartRow>;
  private readonly listPartsStmt: Sqlite.Statement<[string, number, number], PartRow>;
  private readonly removePartsStmt: Sqlite.Statement<[string]>;
  private readonly scans = new Map<string, Sqlite.Statement<[ScanParams], UploadRow>>();

  constructor(private readonly db: Sqlite.Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO uploads (upload_id, bucket, key, initiated, owner_id, owner_name, storage_class,
        checksum_algorithm, headers, user_metadata, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.getStmt = db.prepare('SELECT * FROM uploads WHERE upload_id = ?');
    this.removeStmt = db.prepare('DELETE FROM uploads WHERE upload_id = ?');
    this.anyStmt = db.prepare<[string], number>('SELECT 1 FROM uploads WHERE bucket = ? LIMIT 1').pluck();
    this.newerStmt = db.prepare(
      'SELECT * FROM uploads WHERE bucket = ? AND key = ? AND seq > ? ORDER BY seq',
    );
    this.getPartStmt = db.prepare('SELECT * FROM parts WHERE upload_id = ? AND part_number = ?');
    this.putPartStmt = db.prepare(
      `INSERT OR REPLACE INTO parts (upload_id, part_number, blob_id, size, etag, checksum, last_modified)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.partsStmt = db.prepare('SELECT * FROM parts WHERE upload_id = ? ORDER BY part_number');
    this.listPartsStmt = db.prepare(
      'SELECT * FROM parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?',
    );
    this.removePartsStmt = db.prepare('DELETE FROM parts WHERE upload_id = ?');
  }

  insert(u: Omit<StoredUpload, 'seq'>): void {
    this.insertStmt.run(
      u.uploadId,
      u.bucket,
      u.key,
      u.initiated.getTime(),
      u.ownerId,
      u.ownerName,
      u.storageClass,
      u.checksumAlgorithm ?? null,
      jsonOrNull(u.headers),
      jsonOrNull(u.userMetadata),
      jsonOrNull(u.tags),
    );
  }
  get(uploadId: string): StoredUpload | undefined {
    const r = this.getStmt.get(uploadId);
    return r && toUpload(r);
  }
  remove(uploadId: string): void {
    this.removeStmt.run(uploadId);
  }
  hasAny(bucket: string): boolean {
    return this.anyStmt.get(bucket) !== undefined;
  }
  scan(bucket: string, from: KeyBound, before: string | undefined): IterableIterator<StoredUpload> {
    const sql = `SELECT * FROM uploads WHERE bucket = @bucket AND ${rangeSql(from.inclusive, before !== undefined)} ORDER BY key, seq`;
    let stmt = this.scans.get(sql);
    if (!stmt) {
      stmt = this.db.prepare<[ScanParams], UploadRow>(sql);
      this.scans.set(sql, stmt);
    }
    const params: ScanParams =
      before === undefined ? { bucket, from: from.value } : { bucket, from: from.value, before };
    return mapUploads(stmt.iterate(params));
  }
  scanNewer(bucket: string, key: string, seq: number): IterableIterator<StoredUpload> {
    return mapUploads(this.newerStmt.iterate(bucket, key, seq));
  }
  putPart(uploadId: string, p: StoredPart): StoredPart | undefined {
    const old = this.getPartStmt.get(uploadId, p.partNumber);
    this.putPartStmt.run(
      uploadId,
      p.partNumber,
      p.blobId ?? null,
      p.size,
      p.etag,
      p.checksum ?? null,
      p.lastModified.getTime(),
    );
    return old && toPart(old);
  }
  parts(uploadId: string): StoredPart[] {
    return this.partsStmt.all(uploadId).map(toPart);
  }
  listParts(uploadId: string, afterPartNumber: number, limit: number): StoredPart[] {
    return this.listPartsStmt.all(uploadId, afterPartNumber, limit).map(toPart);
  }
  removeParts(uploadId: string): void {
    this.removePartsStmt.run(uploadId);
  }
}
