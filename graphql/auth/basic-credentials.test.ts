import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basicAuthorization, parseBasicAuthorization } from './basic-credentials.js';

describe('Basic credentials', () => {
  it('round-trips keys, secrets with ":" included', () => {
    const c = { accessKey: 'AK.1', secretKey: 'se:cr/et+=' };
    assert.deepEqual(parseBasicAuthorization(basicAuthorization(c)), c);
    assert.deepEqual(parseBasicAuthorization(`basic   ${Buffer.from('a:b').toString('base64')}`), {
      accessKey: 'a',
      secretKey: 'b',
    });
  });

  it('refuses other schemes and malformed values', () => {
    for (const h of [
      'Bearer abc',
      'Basic',
      'Basic !!!',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      `Basic ${Buffer.from(':secret').toString('base64')}`,
    ]) {
      assert.equal(parseBasicAuthorization(h), undefined, h);
    }
  });
});
