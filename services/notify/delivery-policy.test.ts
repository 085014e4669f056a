import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextStep, type NextStep } from './delivery-policy.js';

const schedule = { attempts: 3, backoffMs: 100 };
const busy = { delivered: false, retryable: true, reason: 'receiver answered 503' } as const;
const refused = { delivered: false, retryable: false, reason: 'receiver answered 400' } as const;

describe('webhook delivery policy', () => {
  const cases: [string, Parameters<typeof nextStep>, NextStep][] = [
    [
      'first failure: retried after the backoff',
      [busy, 1, 't', schedule, false],
      { kind: 'retry', delayMs: 100, log: 'attempt 1 failed: t: receiver answered 503' },
    ],
    [
      'second failure: the backoff doubles',
      [busy, 2, 't', schedule, false],
      { kind: 'retry', delayMs: 200, log: 'attempt 2 failed: t: receiver answered 503' },
    ],
    [
      'last attempt: given up',
      [busy, 3, 't', schedule, false],
      { kind: 'fail', reason: 't: receiver answered 503; gave up after 3 attempts' },
    ],
    [
      'a refusal: failed at once',
      [refused, 1, 't', schedule, false],
      { kind: 'fail', reason: 't: receiver answered 400; a retry cannot help, not retried' },
    ],
    [
      'cut short by shutdown, even at the last attempt: again at once',
      [busy, 3, 't', schedule, true],
      { kind: 'retry', delayMs: 0, log: 'attempt 3 failed: t: receiver answered 503' },
    ],
  ];
  for (const [name, args, expected] of cases) {
    it(name, () => assert.deepEqual(nextStep(...args), expected));
  }
});
