import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../shared/config.js';
import { validateNotificationConfiguration, type NotificationRuleInput } from './notification-rules.js';
import { notifyTargets } from './targets.js';

const config = loadConfig({
  STRATA_REGION: 'eu-west-1',
  STRATA_NOTIFY_WEBHOOK_ENDPOINT_a: 'http://127.0.0.1:1/a',
});
const targets = notifyTargets(config.notify, config.region);

function input(over: Partial<NotificationRuleInput> = {}): NotificationRuleInput {
  return {
    id: undefined,
    kind: 'Queue',
    arn: 'arn:strata:sqs::a:webhook',
    events: ['s3:ObjectCreated:*'],
    filterRules: [],
    ...over,
  };
}

describe('notification configuration validation', () => {
  it('names unnamed configurations like S3 (base64 of a UUID) and keeps given Ids', () => {
    const { rules } = validateNotificationConfiguration(
      [input(), input({ id: 'mine', events: ['s3:ObjectRemoved:*'] })],
      targets,
    );
    assert.match(Buffer.from(rules[0]?.id ?? '', 'base64').toString(), /^[0-9a-f-]{36}$/);
    assert.equal(rules[1]?.id, 'mine');
  });

  it('accepts the ARN with an empty region or the server region, not another region', () => {
    for (const arn of ['arn:strata:sqs::a:webhook', 'arn:strata:sqs:eu-west-1:a:webhook']) {
      validateNotificationConfiguration([input({ arn })], targets);
    }
    assert.throws(
      () =>
        validateNotificationConfiguration([input({ arn: 'arn:strata:sqs:us-east-1:a:webhook' })], targets),
      {
        code: 'InvalidArgument',
      },
    );
  });

  it('lists every destination it cannot validate, and skips the check when asked', () => {
    const bad = [
      input({ arn: 'arn:strata:sqs::b:webhook' }),
      input({ arn: 'arn:x', events: ['s3:ObjectRemoved:*'] }),
    ];
    assert.throws(
      () => validateNotificationConfiguration(bad, targets),
      (e: unknown) => {
        const d = (e as { details: Record<string, string> }).details;
        return d['ArgumentName1'] === 'arn:strata:sqs::b:webhook' && d['ArgumentName2'] === 'arn:x';
      },
    );
    assert.equal(
      validateNotificationConfiguration(bad, targets, { skipDestinationValidation: true }).rules.length,
      2,
    );
  });

  const refused: Array<[string, NotificationRuleInput[], RegExp]> = [
    ['an Id over 255 characters', [input({ id: 'x'.repeat(256) })], /Id value can be up to 255/],
    [
      'a filter value over 1024 bytes',
      [input({ filterRules: [{ name: 'prefix', value: 'é'.repeat(513) }] })],
      /longer than 1024 bytes/,
    ],
    [
      'a repeated suffix rule',
      [
        input({
          filterRules: [
            { name: 'suffix', value: 'a' },
            { name: 'SUFFIX', value: 'b' },
          ],
        }),
      ],
      /more than one suffix rule/,
    ],
    [
      'a wildcard over another family',
      [input({ events: ['s3:Object*'] })],
      /not supported for notifications/,
    ],
    [
      'a duplicate Id',
      [input({ id: 'x' }), input({ id: 'x', events: ['s3:ObjectRemoved:*'] })],
      /IDs must be unique/,
    ],
    [
      'overlapping suffixes',
      [
        input({ filterRules: [{ name: 'suffix', value: '.jpg' }] }),
        input({ events: ['s3:ObjectCreated:Copy'], filterRules: [{ name: 'suffix', value: 'jpg' }] }),
      ],
      /ambiguously defined/,
    ],
  ];
  for (const [name, rules, message] of refused) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => validateNotificationConfiguration(rules, targets),
        (e: unknown) => {
          const err = e as { code: string; message: string };
          return err.code === 'InvalidArgument' && message.test(err.message);
        },
      );
    });
  }
});
