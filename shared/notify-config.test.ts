import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('notification target configuration', () => {
  it('declares webhook targets with their ARN, endpoint and optional secret', () => {
    const { notify } = loadConfig({
      STRATA_NOTIFY_WEBHOOK_ENDPOINT_PRIMARY: 'https://hooks.example/strata',
      STRATA_NOTIFY_WEBHOOK_SECRET_PRIMARY: 's3cret',
      STRATA_NOTIFY_WEBHOOK_ENDPOINT_audit: 'http://127.0.0.1:8080/in?x=1',
      STRATA_NOTIFY_WEBHOOK_ENDPOINT_UNUSED: '',
    });
    assert.deepEqual(
      notify.webhooks.map((w) => [w.id, w.arn, w.endpoint, w.secret]),
      [
        ['PRIMARY', 'arn:strata:sqs::PRIMARY:webhook', 'https://hooks.example/strata', 's3cret'],
        ['audit', 'arn:strata:sqs::audit:webhook', 'http://127.0.0.1:8080/in?x=1', undefined],
      ],
    );
    assert.deepEqual(
      [notify.webhookAttempts, notify.webhookBackoffMs, notify.webhookTimeoutMs],
      [10, 2000, 10_000],
    );
    assert.ok(Object.isFrozen(notify) && Object.isFrozen(notify.webhooks));
  });

  it('reads the delivery settings', () => {
    const { notify } = loadConfig({
      STRATA_NOTIFY_WEBHOOK_ATTEMPTS: '3',
      STRATA_NOTIFY_WEBHOOK_BACKOFF_MS: '50',
      STRATA_NOTIFY_WEBHOOK_TIMEOUT_MS: '1500',
    });
    assert.deepEqual(
      [notify.webhookAttempts, notify.webhookBackoffMs, notify.webhookTimeoutMs],
      [3, 50, 1500],
    );
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    [
      'a URL that does not parse',
      { STRATA_NOTIFY_WEBHOOK_ENDPOINT_A: 'not a url' },
      /ENDPOINT_A must be an http/,
    ],
    [
      'a non-http URL',
      { STRATA_NOTIFY_WEBHOOK_ENDPOINT_A: 'ftp://x/y' },
      /must be an http:\/\/ or https:\/\/ URL/,
    ],
    ['an id with a colon', { 'STRATA_NOTIFY_WEBHOOK_ENDPOINT_a:b': 'http://x/' }, /target id "a:b"/],
    [
      'a secret without its endpoint',
      { STRATA_NOTIFY_WEBHOOK_SECRET_B: 'k' },
      /SECRET_B is set but STRATA_NOTIFY_WEBHOOK_ENDPOINT_B is not/,
    ],
    ['zero attempts', { STRATA_NOTIFY_WEBHOOK_ATTEMPTS: '0' }, /ATTEMPTS must be between 1 and 100/],
    [
      'a backoff that is not a number',
      { STRATA_NOTIFY_WEBHOOK_BACKOFF_MS: 'soon' },
      /BACKOFF_MS must be a whole number/,
    ],
  ];
  for (const [name, env, message] of bad) {
    it(`refuses ${name} with a ConfigError`, () => {
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && message.test(e.message),
      );
    });
  }
});
