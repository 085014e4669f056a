/**
 * Put/GetBucketNotificationConfiguration end to end through the real S3
 * client: the round trip, and that every refused configuration is refused
 * with S3's error and changes nothing.
 */
import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  type NotificationConfiguration,
  type QueueConfiguration,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { s3Error, withBody } from './sdk-helpers.js';

const HOOK = 'arn:strata:sqs::hook:webhook';
const AUDIT = 'arn:strata:sqs::audit:webhook';

function queue(
  events: string[],
  filter?: { prefix?: string; suffix?: string },
  arn = HOOK,
): QueueConfiguration {
  const rules = [
    ...(filter?.prefix === undefined ? [] : [{ Name: 'prefix' as const, Value: filter.prefix }]),
    ...(filter?.suffix === undefined ? [] : [{ Name: 'suffix' as const, Value: filter.suffix }]),
  ];
  return {
    QueueArn: arn,
    Events: events as QueueConfiguration['Events'],
    ...(rules.length === 0 ? {} : { Filter: { Key: { FilterRules: rules } } }),
  };
}

describe('bucket notification configuration', () => {
  let t: TestStrata;
  before(async () => {
    t = await startStrata({
      STRATA_NOTIFY_WEBHOOK_ENDPOINT_hook: 'http://127.0.0.1:9/hook',
      STRATA_NOTIFY_WEBHOOK_SECRET_hook: 'hook-secret',
      STRATA_NOTIFY_WEBHOOK_ENDPOINT_audit: 'https://audit.example/strata',
    });
  });
  after(() => t.close());

  const put = (Bucket: string, NotificationConfiguration: NotificationConfiguration, skip = false) =>
    t.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration,
        ...(skip ? { SkipDestinationValidation: true } : {}),
      }),
    );
  const get = (Bucket: string) => t.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
  const newBucket = async () => {
    const name = bucketName('notif');
    await t.s3.send(new CreateBucketCommand({ Bucket: name }));
    return name;
  };

  it('is empty until set, round-trips, and an empty configuration removes it', async () => {
    const name = await newBucket();
    const empty = await get(name);
    assert.equal(empty.QueueConfigurations, undefined);
    assert.equal(empty.TopicConfigurations, undefined);

    const put1 = await put(name, {
      QueueConfigurations: [
        {
          Id: 'jpegs',
          ...queue(['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'], { prefix: 'images/', suffix: '.jpg' }),
        },
        queue(['s3:ObjectCreated:Put'], { prefix: 'logs/' }, AUDIT),
      ],
    });
    assert.equal(put1.$metadata.httpStatusCode, 200);
    const got = await get(name);
    assert.equal(got.QueueConfigurations?.length, 2);
    const [first, second] = got.QueueConfigurations ?? [];
    assert.deepEqual(first, {
      Id: 'jpegs',
      QueueArn: HOOK,
      Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'],
      Filter: {
        Key: {
          FilterRules: [
            { Name: 'Prefix', Value: 'images/' },
            { Name: 'Suffix', Value: '.jpg' },
          ],
        },
      },
    });
    // S3 names a configuration sent without an Id.
    assert.match(second?.Id ?? '', /^[A-Za-z0-9+/=]{20,}$/);
    assert.equal(second?.QueueArn, AUDIT);
    assert.deepEqual(second?.Filter?.Key?.FilterRules, [{ Name: 'Prefix', Value: 'logs/' }]);

    await put(name, {});
    assert.equal((await get(name)).QueueConfigurations, undefined);
  });

  it('accepts rules for one event type whose filters cannot both match a key', async () => {
    const name = await newBucket();
    await put(name, {
      QueueConfigurations: [
        queue(['s3:ObjectCreated:*'], { prefix: 'images/' }),
        queue(['s3:ObjectCreated:Put'], { prefix: 'videos/' }),
        queue(['s3:ObjectCreated:Put'], { prefix: 'docs/', suffix: '.pdf' }),
        queue(['s3:ObjectCreated:Put'], { prefix: 'docs/', suffix: '.txt' }),
        queue(['s3:ObjectRemoved:*']),
      ],
    });
    assert.equal((await get(name)).QueueConfigurations?.length, 5);
  });

  const refused: Array<{
    name: string;
    config?: NotificationConfiguration;
    body?: string;
    code: string;
    status?: number;
    message?: string | RegExp;
  }> = [
    {
      name: 'an ARN that is not a configured target',
      config: {
        QueueConfigurations: [queue(['s3:ObjectCreated:*'], undefined, 'arn:strata:sqs::nope:webhook')],
      },
      code: 'InvalidArgument',
      message: 'Unable to validate the following destination configurations',
    },
    {
      name: 'an AWS queue ARN',
      config: {
        QueueConfigurations: [
          queue(['s3:ObjectCreated:*'], undefined, 'arn:aws:sqs:us-east-1:123456789012:q'),
        ],
      },
      code: 'InvalidArgument',
      message: 'Unable to validate the following destination configurations',
    },
    {
      name: 'a topic destination',
      config: { TopicConfigurations: [{ TopicArn: HOOK, Events: ['s3:ObjectCreated:*'] }] },
      code: 'InvalidArgument',
      message: 'Unable to validate the following destination configurations',
    },
    {
      name: 'an unknown event name',
      config: { QueueConfigurations: [queue(['s3:ObjectCreated:Upload'])] },
      code: 'InvalidArgument',
      message: 'The event is not supported for notifications',
    },
    {
      name: 'two unfiltered rules sharing an event type',
      config: {
        QueueConfigurations: [
          queue(['s3:ObjectCreated:*']),
          queue(['s3:ObjectCreated:Put'], undefined, AUDIT),
        ],
      },
      code: 'InvalidArgument',
      message: 'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
    },
    {
      name: 'overlapping prefixes for one event type',
      config: {
        QueueConfigurations: [
          queue(['s3:ObjectCreated:*'], { prefix: 'images/' }),
          queue(['s3:ObjectCreated:Put'], { prefix: 'images/2024/' }, AUDIT),
        ],
      },
      code: 'InvalidArgument',
      message: /^Configuration is ambiguously defined\. Cannot have overlapping suffixes/,
    },
    {
      name: 'a prefix rule and a suffix rule for one event type',
      config: {
        QueueConfigurations: [
          queue(['s3:ObjectRemoved:Delete'], { prefix: 'images/' }),
          queue(['s3:ObjectRemoved:*'], { suffix: '.jpg' }, AUDIT),
        ],
      },
      code: 'InvalidArgument',
      message: /^Configuration is ambiguously defined/,
    },
    {
      name: 'a filter rule that is neither prefix nor suffix',
      body:
        '<NotificationConfiguration><QueueConfiguration><Queue>arn:strata:sqs::hook:webhook</Queue>' +
        '<Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>infix</Name><Value>x</Value>' +
        '</FilterRule></S3Key></Filter></QueueConfiguration></NotificationConfiguration>',
      code: 'InvalidArgument',
      message: 'filter rule name must be either prefix or suffix',
    },
    {
      name: 'two prefix rules in one filter',
      config: {
        QueueConfigurations: [
          {
            QueueArn: HOOK,
            Events: ['s3:ObjectCreated:*'],
            Filter: {
              Key: {
                FilterRules: [
                  { Name: 'prefix', Value: 'a' },
                  { Name: 'prefix', Value: 'b' },
                ],
              },
            },
          },
        ],
      },
      code: 'InvalidArgument',
      message: 'Cannot specify more than one prefix rule in a filter.',
    },
    {
      name: 'two configurations with one Id',
      config: {
        QueueConfigurations: [
          { Id: 'same', ...queue(['s3:ObjectCreated:*']) },
          { Id: 'same', ...queue(['s3:ObjectRemoved:*']) },
        ],
      },
      code: 'InvalidArgument',
    },
    {
      name: 'a body that is not XML',
      body: '<NotificationConfiguration><QueueConfiguration>',
      code: 'MalformedXML',
    },
    {
      name: 'a configuration without an event',
      body:
        '<NotificationConfiguration><QueueConfiguration><Queue>arn:strata:sqs::hook:webhook</Queue>' +
        '</QueueConfiguration></NotificationConfiguration>',
      code: 'MalformedXML',
    },
    {
      name: 'a configuration without a destination',
      body:
        '<NotificationConfiguration><QueueConfiguration><Event>s3:ObjectCreated:*</Event>' +
        '</QueueConfiguration></NotificationConfiguration>',
      code: 'MalformedXML',
    },
    {
      name: 'an unknown element (the JSON member name)',
      body: '<NotificationConfiguration><QueueConfigurations/></NotificationConfiguration>',
      code: 'MalformedXML',
    },
    {
      name: 'text instead of configurations',
      body: '<NotificationConfiguration>remove nothing</NotificationConfiguration>',
      code: 'MalformedXML',
    },
    {
      name: 'another root element',
      body: '<Notification><QueueConfiguration/></Notification>',
      code: 'MalformedXML',
    },
    {
      name: 'an EventBridge configuration',
      config: { EventBridgeConfiguration: {} },
      code: 'NotImplemented',
      status: 501,
    },
  ];
  for (const c of refused) {
    it(`refuses ${c.name} with ${c.code} and changes nothing`, async () => {
      const name = await newBucket();
      const before = { QueueConfigurations: [{ Id: 'kept', ...queue(['s3:ObjectTagging:*']) }] };
      await put(name, before);
      const cmd = new PutBucketNotificationConfigurationCommand({
        Bucket: name,
        NotificationConfiguration: c.config ?? {},
      });
      const err = await s3Error(t.s3.send(c.body === undefined ? cmd : withBody(cmd, c.body)));
      assert.deepEqual([err.code, err.status], [c.code, c.status ?? 400]);
      if (typeof c.message === 'string') assert.equal(err.message, c.message);
      else if (c.message) assert.match(err.message, c.message);
      const after = await get(name);
      assert.deepEqual(
        after.QueueConfigurations?.map((q) => [q.Id, q.QueueArn, q.Events]),
        [['kept', HOOK, ['s3:ObjectTagging:*']]],
      );
    });
  }

  it('stores an unknown target when the client skips destination validation', async () => {
    const name = await newBucket();
    const later = 'arn:strata:sqs::later:webhook';
    await put(name, { QueueConfigurations: [queue(['s3:ObjectCreated:*'], undefined, later)] }, true);
    assert.equal((await get(name)).QueueConfigurations?.[0]?.QueueArn, later);
  });

  it('answers NoSuchBucket for a bucket that does not exist', async () => {
    const name = bucketName('missing');
    assert.equal((await s3Error(get(name))).code, 'NoSuchBucket');
    assert.equal((await s3Error(put(name, {}))).code, 'NoSuchBucket');
  });
});
