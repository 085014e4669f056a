import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  authorizeScrape,
  scrapeChallenge,
  type ScrapeAuthOptions,
  type ScrapeAuthResult,
} from './scrape-auth.js';

const users: Record<string, { secretKey: string; isRoot: boolean }> = {
  ROOTKEY: { secretKey: 'root-secret-1', isRoot: true },
  ALICEKEY: { secretKey: 'alice-secret', isRoot: false },
};
const findUser = (k: string) => users[k];
const TOKEN = 'a-long-metrics-token-0123';
const basic = (ak: string, sk: string) => 'Basic ' + Buffer.from(`${ak}:${sk}`).toString('base64');

describe('authorizeScrape', () => {
  const cases: Array<
    [
      name: string,
      opts: Omit<ScrapeAuthOptions, 'findUser'>,
      header: string | undefined,
      want: ScrapeAuthResult,
    ]
  > = [
    ['no header', { public: false, token: undefined }, undefined, 'unauthenticated'],
    ['root keys', { public: false, token: undefined }, basic('ROOTKEY', 'root-secret-1'), 'ok'],
    [
      'root keys, lower-case scheme',
      { public: false, token: undefined },
      basic('ROOTKEY', 'root-secret-1').replace('Basic', 'basic'),
      'ok',
    ],
    ['wrong secret', { public: false, token: undefined }, basic('ROOTKEY', 'nope'), 'unauthenticated'],
    ['unknown key', { public: false, token: undefined }, basic('WHO', 'root-secret-1'), 'unauthenticated'],
    ['not base64 user:pass', { public: false, token: undefined }, 'Basic !!!', 'unauthenticated'],
    ['non-root user', { public: false, token: undefined }, basic('ALICEKEY', 'alice-secret'), 'forbidden'],
    ['bearer token', { public: false, token: TOKEN }, `Bearer ${TOKEN}`, 'ok'],
    ['wrong bearer token', { public: false, token: TOKEN }, `Bearer ${TOKEN}x`, 'unauthenticated'],
    [
      'bearer when no token is configured',
      { public: false, token: undefined },
      `Bearer ${TOKEN}`,
      'unauthenticated',
    ],
    [
      'basic still works with a token set',
      { public: false, token: TOKEN },
      basic('ROOTKEY', 'root-secret-1'),
      'ok',
    ],
    ['public', { public: true, token: undefined }, undefined, 'ok'],
  ];
  for (const [name, opts, header, want] of cases) {
    it(`${name} → ${want}`, () => {
      const headers = header === undefined ? {} : { authorization: header };
      assert.equal(authorizeScrape(headers, { ...opts, findUser }), want);
    });
  }

  it('challenges with Basic, and Bearer when a token is set', () => {
    assert.deepEqual(scrapeChallenge({ public: false, token: undefined, findUser }), [
      'Basic realm="strata", charset="UTF-8"',
    ]);
    assert.equal(scrapeChallenge({ public: false, token: TOKEN, findUser }).length, 2);
  });
});
