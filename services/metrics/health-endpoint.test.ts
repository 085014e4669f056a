import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHealth, type HealthChecks, type HealthReport } from './health-endpoint.js';

const ok = async () => undefined;
const refused = async () => {
  throw new Error('connect ECONNREFUSED');
};
const never = () => new Promise<void>(() => undefined);

describe('checkHealth', () => {
  const cases: Array<[name: string, checks: HealthChecks, want: HealthReport]> = [
    [
      'all ready',
      { listening: () => true, database: () => undefined, redis: ok },
      { status: 'ok', database: 'ok', redis: 'ok' },
    ],
    [
      'no pipeline',
      { listening: () => true, database: () => undefined },
      { status: 'ok', database: 'ok', redis: 'disabled' },
    ],
    [
      'not listening',
      { listening: () => false, database: () => undefined, redis: ok },
      { status: 'starting' },
    ],
    [
      'database throws',
      {
        listening: () => true,
        database: () => {
          throw new Error('The database connection is not open');
        },
        redis: ok,
      },
      { status: 'unavailable', database: 'down', redis: 'ok' },
    ],
    [
      'redis refuses',
      { listening: () => true, database: () => undefined, redis: refused },
      { status: 'unavailable', database: 'ok', redis: 'down' },
    ],
    [
      'redis does not answer in time',
      { listening: () => true, database: () => undefined, redis: never, timeoutMs: 50 },
      { status: 'unavailable', database: 'ok', redis: 'down' },
    ],
  ];
  for (const [name, checks, want] of cases) {
    it(name, async () => {
      assert.deepEqual(await checkHealth(checks), want);
    });
  }
});
