import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QUEUES } from '../../workers/registry.js';
import { UsageError } from './args.js';
import { findOnPath } from './redis-autostart.js';
import { parseQueues } from './worker.js';

describe('strata worker --queues', () => {
  const cases: [string | boolean | undefined, string[] | undefined | RegExp][] = [
    [undefined, undefined],
    ['analytics', ['analytics']],
    [' analytics , analytics ', ['analytics']],
    [QUEUES.join(','), [...QUEUES]],
    ['nope', new RegExp(`unknown queue "nope"; queues: ${QUEUES.join(', ')}`)],
    ['analytics,nope', /unknown queue "nope"/],
    [',', /needs at least one queue/],
  ];
  for (const [flag, want] of cases) {
    it(`${JSON.stringify(flag)} → ${want instanceof RegExp ? 'usage error' : JSON.stringify(want)}`, () => {
      if (want instanceof RegExp) {
        assert.throws(
          () => parseQueues(flag),
          (e: unknown) => e instanceof UsageError && want.test(e.message) && e.command === 'worker',
        );
      } else {
        assert.deepEqual(parseQueues(flag), want);
      }
    });
  }
});

describe('finding redis-server on the PATH', () => {
  it('finds an executable in a PATH directory, and nothing in an empty PATH', () => {
    assert.equal(
      findOnPath('node', `/nonexistent:${process.execPath.replace(/\/node$/, '')}`),
      process.execPath,
    );
    assert.equal(findOnPath('node', ''), undefined);
    assert.equal(findOnPath('node', undefined), undefined);
  });
});
