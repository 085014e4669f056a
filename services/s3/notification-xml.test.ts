import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNotificationConfiguration, renderNotificationConfiguration } from './notification-xml.js';

describe('NotificationConfiguration XML', () => {
  it('reads every kind of configuration, pretty-printed, with its filter rules', () => {
    const rules = parseNotificationConfiguration(`<?xml version="1.0" encoding="UTF-8"?>
      <NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <QueueConfiguration>
          <Id>q</Id>
          <Queue>arn:strata:sqs::a:webhook</Queue>
          <Event>s3:ObjectCreated:*</Event>
          <Event>s3:ObjectRemoved:Delete</Event>
          <Filter>
            <S3Key>
              <FilterRule><Name>prefix</Name><Value>my+dir/</Value></FilterRule>
              <FilterRule><Name>Suffix</Name><Value></Value></FilterRule>
            </S3Key>
          </Filter>
        </QueueConfiguration>
        <TopicConfiguration><Topic>arn:aws:sns:us-east-1:1:t</Topic><Event>s3:ObjectTagging:*</Event></TopicConfiguration>
        <CloudFunctionConfiguration>
          <Id></Id>
          <CloudFunction>arn:aws:lambda:us-east-1:1:function:f</CloudFunction>
          <Event>s3:ObjectRestore:*</Event>
          <Filter><S3Key/></Filter>
        </CloudFunctionConfiguration>
      </NotificationConfiguration>`);
    assert.deepEqual(rules, [
      {
        id: undefined,
        kind: 'Topic',
        arn: 'arn:aws:sns:us-east-1:1:t',
        events: ['s3:ObjectTagging:*'],
        filterRules: [],
      },
      {
        id: 'q',
        kind: 'Queue',
        arn: 'arn:strata:sqs::a:webhook',
        events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'],
        filterRules: [
          { name: 'prefix', value: 'my+dir/' },
          { name: 'Suffix', value: '' },
        ],
      },
      {
        id: undefined,
        kind: 'CloudFunction',
        arn: 'arn:aws:lambda:us-east-1:1:function:f',
        events: ['s3:ObjectRestore:*'],
        filterRules: [],
      },
    ]);
  });

  it('reads an empty configuration as no rules', () => {
    assert.deepEqual(parseNotificationConfiguration('<NotificationConfiguration/>'), []);
    assert.deepEqual(
      parseNotificationConfiguration('<NotificationConfiguration>\n</NotificationConfiguration>'),
      [],
    );
  });

  const malformed: Array<[string, string]> = [
    [
      'two destinations',
      '<QueueConfiguration><Queue>a</Queue><Queue>b</Queue><Event>e</Event></QueueConfiguration>',
    ],
    [
      'two filters',
      '<QueueConfiguration><Queue>a</Queue><Event>e</Event><Filter/><Filter/></QueueConfiguration>',
    ],
    [
      'an event with children',
      '<QueueConfiguration><Queue>a</Queue><Event><X/></Event></QueueConfiguration>',
    ],
    ['text at the top level', 'oops'],
  ];
  for (const [name, inner] of malformed) {
    it(`refuses ${name} as MalformedXML`, () => {
      assert.throws(
        () =>
          parseNotificationConfiguration(`<NotificationConfiguration>${inner}</NotificationConfiguration>`),
        {
          code: 'MalformedXML',
        },
      );
    });
  }

  it('renders the rules grouped by kind, filters with S3 capitalised names', () => {
    const xml = renderNotificationConfiguration({
      rules: [
        {
          id: 'a&b',
          kind: 'Queue',
          arn: 'arn:strata:sqs::a:webhook',
          events: ['s3:ObjectCreated:*'],
          filterRules: [{ name: 'Prefix', value: 'x<y' }],
        },
      ],
    });
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?><NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<QueueConfiguration><Id>a&amp;b</Id><Queue>arn:strata:sqs::a:webhook</Queue><Event>s3:ObjectCreated:*</Event>' +
        '<Filter><S3Key><FilterRule><Name>Prefix</Name><Value>x&lt;y</Value></FilterRule></S3Key></Filter>' +
        '</QueueConfiguration></NotificationConfiguration>',
    );
    assert.equal(
      renderNotificationConfiguration({ rules: [] }),
      '<?xml version="1.0" encoding="UTF-8"?><NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></NotificationConfiguration>',
    );
  });
});
