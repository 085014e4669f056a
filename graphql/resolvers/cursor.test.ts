import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  afterOfObjectsCursor,
  markersOfVersionsCursor,
  objectsCursor,
  pageSize,
  versionsCursor,
} from './cursor.js';

describe('listing cursors', () => {
  it('round-trips objects and versions cursors', () => {
    for (const key of ['a', 'dir/ü é/🙂', '']) {
      assert.equal(afterOfObjectsCursor(objectsCursor(key)), key);
      assert.deepEqual(markersOfVersionsCursor(versionsCursor(key, 'v1')), {
        keyMarker: key,
        versionIdMarker: 'v1',
      });
      assert.deepEqual(markersOfVersionsCursor(versionsCursor(key, undefined)), { keyMarker: key });
    }
    assert.equal(afterOfObjectsCursor(undefined), undefined);
    assert.equal(afterOfObjectsCursor(null), undefined);
    assert.deepEqual(markersOfVersionsCursor(null), {});
  });

  it('refuses malformed cursors and cursors of the other listing', () => {
    for (const bad of [
      '',
      'not base64 !',
      Buffer.from('{"t":"x"}').toString('base64url'),
      versionsCursor('k', 'v'),
    ]) {
      assert.throws(() => afterOfObjectsCursor(bad), { code: 'InvalidArgument' });
    }
    assert.throws(() => markersOfVersionsCursor(objectsCursor('k')), { code: 'InvalidArgument' });
  });

  it('takes page sizes 1..1000', () => {
    assert.equal(pageSize(undefined), 100);
    assert.equal(pageSize(null, 20), 20);
    assert.equal(pageSize(1000), 1000);
    for (const n of [0, -1, 1001]) assert.throws(() => pageSize(n), { code: 'InvalidArgument' });
  });
});
