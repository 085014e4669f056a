import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bucket, User } from '../types.js';
import { SqliteMetadataStore } from './sqlite-metadata-store.js';

const user = (accessKey: string, id = `id-${accessKey}`): User => ({
  id,
  displayName: `name-${accessKey}`,
  accessKey,
  secretKey: 'secret',
  isRoot: false,
  createdAt: new Date(0),
});
const bucket = (name: string, ownerId = 'o'): Bucket => ({
  name,
  ownerId,
  ownerName: 'owner',
  region: 'us-east-1',
  createdAt: new Date(0),
  versioning: undefined,
});

/** Two connections to one meta.db: the server and, say, `strata user remove` in another process. */
describe('cached users and buckets see every committed change', () => {
  let dir: string;
  let server: SqliteMetadataStore;
  let cli: SqliteMetadataStore;
  const open = () => {
    const s = new SqliteMetadataStore({ file: path.join(dir, 'meta.db') });
    s.migrate();
    return s;
  };
  const setup = () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cache-'));
    server = open();
    cli = open();
  };
  afterEach(() => {
    server.close();
    cli.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a user removed or re-keyed by another process is gone at the next lookup', () => {
    setup();
    server.transaction(() => server.users.insert(user('AKONE')));
    assert.equal(server.users.byAccessKey('AKONE')?.id, 'id-AKONE');
    cli.transaction(() => cli.users.updateKeys('id-AKONE', 'AKTWO', 'secret2'));
    assert.equal(server.users.byAccessKey('AKONE'), undefined);
    assert.equal(server.users.byAccessKey('AKTWO')?.secretKey, 'secret2');
    cli.transaction(() => cli.users.remove('id-AKONE'));
    assert.equal(server.users.byAccessKey('AKTWO'), undefined);
  });

  it('a user added by another process is found (misses are not cached)', () => {
    setup();
    assert.equal(server.users.byAccessKey('AKNEW'), undefined);
    cli.transaction(() => cli.users.insert(user('AKNEW')));
    assert.equal(server.users.byAccessKey('AKNEW')?.accessKey, 'AKNEW');
  });

  it('bucket changes on either connection show at once', () => {
    setup();
    server.transaction(() => server.buckets.insert(bucket('b1')));
    assert.equal(server.buckets.get('b1')?.versioning, undefined);
    server.transaction(() => server.buckets.setVersioning('b1', 'Enabled'));
    assert.equal(server.buckets.get('b1')?.versioning, 'Enabled');
    cli.transaction(() => cli.buckets.setVersioning('b1', 'Suspended'));
    assert.equal(server.buckets.get('b1')?.versioning, 'Suspended');
    cli.transaction(() => cli.buckets.remove('b1'));
    assert.equal(server.buckets.get('b1'), undefined);
  });

  it('what a rolled-back transaction wrote is never served afterwards', () => {
    setup();
    server.transaction(() => server.buckets.insert(bucket('kept')));
    assert.ok(server.buckets.get('kept'));
    assert.throws(() =>
      server.transaction(() => {
        server.buckets.remove('kept');
        server.buckets.insert(bucket('ghost'));
        assert.ok(server.buckets.get('ghost'), 'visible inside its own transaction');
        assert.equal(server.buckets.get('kept'), undefined);
        throw new Error('roll back');
      }),
    );
    assert.equal(server.buckets.get('ghost'), undefined);
    assert.equal(server.buckets.get('kept')?.name, 'kept');
  });
});
