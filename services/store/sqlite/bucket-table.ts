/** Buckets with their versioning state, tagging, CORS and notification rules (sqlite). */
import type Sqlite from 'better-sqlite3';
import type { Bucket, CorsRule, NotificationRule, Tag, VersioningStatus } from '../types.js';
import type { BucketTable } from '../metadata/metadata-store.js';
import { CommittedRowCache } from './committed-row-cache.js';

interface BucketRow {
  name: string;
  owner_id: string;
  owner_name: string;
  region: string;
  created_at: number;
  versioning: string | null;
}

function toBucket(r: BucketRow | undefined): Bucket | undefined {
  if (!r) return undefined;
  return {
    name: r.name,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    region: r.region,
    createdAt: new Date(r.created_at),
    versioning: (r.versioning ?? undefined) as VersioningStatus,
  };
}

const COLUMNS = 'name, owner_id, owner_name, region, created_at, versioning';

export class SqliteBucketTable implements BucketTable {
  private readonly getStmt: Sqlite.Statement<[string], BucketRow>;
  private readonly insertStmt: Sqlite.Statement<[string, string, string, string, number, string | null]>;
  private readonly listStmt: Sqlite.Statement<[string], BucketRow>;
  private readonly removeStmt: Sqlite.Statement<[string]>;
  private readonly versioningStmt: Sqlite.Statement<[string | null, string]>;
  private readonly getTaggingStmt: Sqlite.Statement<[string], string | null>;
  private readonly setTaggingStmt: Sqlite.Statement<[string | null, string]>;
  private readonly getCorsStmt: Sqlite.Statement<[string], string | null>;
  private readonly setCorsStmt: Sqlite.Statement<[string | null, string]>;
  private readonly getNotificationStmt: Sqlite.Statement<[string], string | null>;
  private readonly setNotificationStmt: Sqlite.Statement<[string | null, string]>;
  /** Bucket rows by name; cleared by insert, remove and setVersioning (the cached columns). */
  private readonly cache: CommittedRowCache<Bucket>;

  constructor(db: Sqlite.Database) {
    this.cache = new CommittedRowCache(db);
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM buckets WHERE name = ?`);
    this.insertStmt = db.prepare(`INSERT INTO buckets (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`);
    this.listStmt = db.prepare(`SELECT ${COLUMNS} FROM buckets WHERE owner_id = ? ORDER BY name`);
    this.removeStmt = db.prepare('DELETE FROM buckets WHERE name = ?');
    this.versioningStmt = db.prepare('UPDATE buckets SET versioning = ? WHERE name = ?');
    this.getTaggingStmt = db
      .prepare<[string], string | null>('SELECT tagging FROM buckets WHERE name = ?')
      .pluck();
    this.setTaggingStmt = db.prepare('UPDATE buckets SET tagging = ? WHERE name = ?');
    this.getCorsStmt = db.prepare<[string], string | null>('SELECT cors FROM buckets WHERE name = ?').pluck();
    this.setCorsStmt = db.prepare('UPDATE buckets SET cors = ? WHERE name = ?');
    this.getNotificationStmt = db
      .prepare<[string], string | null>('SELECT notification FROM buckets WHERE name = ?')
      .pluck();
    this.setNotificationStmt = db.prepare('UPDATE buckets SET notification = ? WHERE name = ?');
  }

  get(name: string): Bucket | undefined {
    return this.cache.get(name, (n) => toBucket(this.getStmt.get(n)));
  }
  insert(b: Bucket): void {
    this.cache.clear();
    this.insertStmt.run(
      b.name,
      b.ownerId,
      b.ownerName,
      b.region,
      b.createdAt.getTime(),
      b.versioning ?? null,
    );
  }
  listByOwner(ownerId: string): Bucket[] {
    return this.listStmt.all(ownerId).map((r) => toBucket(r) as Bucket);
  }
  remove(name: string): void {
    this.cache.clear();
    this.removeStmt.run(name);
  }
  setVersioning(name: string, status: VersioningStatus): void {
    this.cache.clear();
    this.versioningStmt.run(status ?? null, name);
  }
  getTagging(name: string): Tag[] | undefined {
    const t = this.getTaggingStmt.get(name);
    return t ? (JSON.parse(t) as Tag[]) : undefined;
  }
  setTagging(name: string, tags: readonly Tag[] | undefined): void {
    this.setTaggingStmt.run(tags === undefined ? null : JSON.stringify(tags), name);
  }
  getCors(name: string): CorsRule[] | undefined {
    const c = this.getCorsStmt.get(name);
    return c ? (JSON.parse(c) as CorsRule[]) : undefined;
  }
  setCors(name: string, rules: readonly CorsRule[] | undefined): void {
    this.setCorsStmt.run(rules === undefined ? null : JSON.stringify(rules), name);
  }
  getNotification(name: string): NotificationRule[] {
    const n = this.getNotificationStmt.get(name);
    return n ? (JSON.parse(n) as NotificationRule[]) : [];
  }
  setNotification(name: string, rules: readonly NotificationRule[]): void {
    this.setNotificationStmt.run(rules.length === 0 ? null : JSON.stringify(rules), name);
  }
}
