/**
 * Versioned schema migrations for the SQLite metadata store. PRAGMA
 * user_version holds the number of the last applied migration; migrations run
 * in order inside one IMMEDIATE transaction, so two processes starting at once
 * (server and CLI) cannot both apply one. Append new migrations; never edit one
 * that has shipped.
 */
import type Sqlite from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'users, buckets, versions, uploads, parts, blob references',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        access_key TEXT NOT NULL UNIQUE,
        secret_key TEXT NOT NULL,
        is_root INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE buckets (
        name TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL,
        owner_name TEXT NOT NULL,
        region TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        versioning TEXT,
        tagging TEXT,
        cors TEXT
      ) WITHOUT ROWID;
      CREATE INDEX buckets_by_owner ON buckets (owner_id, name);
      -- seq orders versions by write; keys compare with BINARY = UTF-8 byte order (S3's order).
      CREATE TABLE versions (
        seq INTEGER PRIMARY KEY,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        version_id TEXT NOT NULL,
        is_latest INTEGER NOT NULL,
        is_delete_marker INTEGER NOT NULL,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        last_modified INTEGER NOT NULL,
        storage_class TEXT NOT NULL,
        headers TEXT,
        user_metadata TEXT,
        tags TEXT,
        checksum_algorithm TEXT,
        checksum TEXT,
        parts TEXT,
        owner_id TEXT NOT NULL,
        owner_name TEXT NOT NULL,
        body_ref TEXT NOT NULL
      );
      CREATE UNIQUE INDEX versions_by_id ON versions (bucket, key, version_id);
      CREATE INDEX versions_by_key ON versions (bucket, key, seq DESC);
      CREATE INDEX versions_current ON versions (bucket, key) WHERE is_latest = 1 AND is_delete_marker = 0;
      CREATE TABLE uploads (
        seq INTEGER PRIMARY KEY,
        upload_id TEXT NOT NULL UNIQUE,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        initiated INTEGER NOT NULL,
        owner_id TEXT NOT NULL,
        owner_name TEXT NOT NULL,
        storage_class TEXT NOT NULL,
        checksum_algorithm TEXT,
        headers TEXT,
        user_metadata TEXT,
        tags TEXT
      );
      CREATE INDEX uploads_by_key ON uploads (bucket, key, seq);
      CREATE TABLE parts (
        upload_id TEXT NOT NULL,
        part_number INTEGER NOT NULL,
        blob_id TEXT,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        checksum TEXT,
        last_modified INTEGER NOT NULL,
        PRIMARY KEY (upload_id, part_number)
      ) WITHOUT ROWID;
      CREATE TABLE blobs (id TEXT PRIMARY KEY, refs INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE garbage_blobs (id TEXT PRIMARY KEY) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: 'bucket notification configuration',
    // JSON NotificationRule[]; NULL when the bucket has none. Removed with the bucket row.
    sql: `ALTER TABLE buckets ADD COLUMN notification TEXT;`,
  },
  {
    version: 3,
    description: 'event outbox and leases',
    // The outbox: one row per object event, written in the transaction of the change
    // (services/store/events). id is the event id and orders events (AUTOINCREMENT:
    // never reused after a prune). record is the S3 event record JSON, its sequencer
    // filled from id when read. The relay sets sent_at once the bus has the event.
    // leases: who runs a singleton (the outbox relay) on this data dir, until when.
    sql: `
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at INTEGER NOT NULL,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        event_name TEXT NOT NULL,
        record TEXT NOT NULL,
        sent_at INTEGER
      );
      CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

/** Applies pending migrations; returns the schema version. */
export function migrate(db: Sqlite.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.reduce((n, m) => Math.max(n, m.version), 0);
  const run = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > latest) {
      throw new Error(
        `metadata schema version ${current} is newer than this Strata (${latest}); upgrade Strata`,
      );
    }
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    return latest;
  });
  return run.immediate();
}
