import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../shared/errors.js';
import type { CorsRule } from '../store/types.js';
import { parseCorsConfiguration, renderCorsConfiguration } from './cors-config.js';
import { corsHeadersFor, findCorsRule, requestedHeaders, wildcardMatch } from './cors-match.js';

function rule(r: Partial<CorsRule> & Pick<CorsRule, 'allowedOrigins' | 'allowedMethods'>): CorsRule {
  return { allowedHeaders: [], exposeHeaders: [], ...r };
}

describe('wildcardMatch', () => {
  // Cases from S3's observed answers (s3-tests' test_cors_origin_response).
  const cases: Array<[string, string, boolean]> = [
    ['*suffix', 'foo.suffix', true],
    ['*suffix', 'suffix', true],
    ['*suffix', 'foo.suffix.get', false],
    ['start*end', 'startend', true],
    ['start*end', 'start12end', true],
    ['start*end', '0start12end', false],
    ['prefix*', 'prefix.suffix', true],
    ['prefix*', 'bla.prefix', false],
    ['http://*.origin.com', 'http://test.origin.com', true],
    ['http://*.origin.com', 'http://test.origin.com/', false],
    ['https://a.com', 'https://a.com', true],
    ['https://a.com', 'http://a.com', false],
    ['*', '', true],
    ['ab*ba', 'aba', false],
  ];
  for (const [pattern, value, want] of cases) {
    it(`${pattern} ${want ? 'matches' : 'does not match'} "${value}"`, () =>
      assert.equal(wildcardMatch(pattern, value), want));
  }
});

describe('findCorsRule', () => {
  const rules: CorsRule[] = [
    rule({
      id: 'put',
      allowedOrigins: ['https://app.example.com'],
      allowedMethods: ['PUT'],
      allowedHeaders: ['x-amz-*', 'Content-Type'],
    }),
    rule({ id: 'get', allowedOrigins: ['https://*.example.com'], allowedMethods: ['GET', 'HEAD'] }),
    rule({
      id: 'any',
      allowedOrigins: ['*'],
      allowedMethods: ['GET'],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: 60,
    }),
  ];
  const cases: Array<{ origin: string; method: string; headers?: string; want: string | undefined }> = [
    { origin: 'https://app.example.com', method: 'PUT', headers: 'X-Amz-Date, content-type', want: 'put' },
    { origin: 'https://app.example.com', method: 'PUT', headers: 'authorization', want: undefined },
    { origin: 'https://app.example.com', method: 'GET', want: 'get' },
    { origin: 'https://other.example.com', method: 'HEAD', want: 'get' },
    { origin: 'https://other.example.com', method: 'GET', headers: 'x-amz-date', want: undefined },
    { origin: 'http://elsewhere', method: 'GET', want: 'any' },
    { origin: 'http://elsewhere', method: 'DELETE', want: undefined },
  ];
  for (const c of cases) {
    it(`${c.method} from ${c.origin} with [${c.headers ?? ''}] → ${c.want ?? 'no rule'}`, () => {
      const m = findCorsRule(rules, {
        origin: c.origin,
        method: c.method,
        headers: requestedHeaders(c.headers),
      });
      assert.equal(m?.rule.id, c.want);
    });
  }

  it('answers the matched rule with S3 headers', () => {
    const q = {
      origin: 'https://app.example.com',
      method: 'PUT',
      headers: requestedHeaders('X-Amz-Date,Content-Type'),
    };
    const m = findCorsRule(rules, q);
    assert.ok(m);
    assert.deepEqual(corsHeadersFor(m, q), {
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'x-amz-date, content-type',
      'access-control-allow-credentials': 'true',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
    const q2 = { origin: 'http://elsewhere', method: 'GET', headers: [] };
    const m2 = findCorsRule(rules, q2);
    assert.ok(m2);
    assert.deepEqual(corsHeadersFor(m2, q2), {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '60',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
  });
});

describe('parseCorsConfiguration', () => {
  const wrap = (rules: string) =>
    `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rules}</CORSConfiguration>`;
  const ok = '<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>';

  it('parses every member and renders them back', () => {
    const text = wrap(
      `<CORSRule><ID>r1</ID><AllowedHeader>*</AllowedHeader><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>` +
        `<AllowedOrigin>https://a.com</AllowedOrigin><AllowedOrigin></AllowedOrigin><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>` +
        `<CORSRule>${ok}</CORSRule>`,
    );
    const rules = parseCorsConfiguration(text);
    assert.deepEqual(rules[0], {
      id: 'r1',
      allowedHeaders: ['*'],
      allowedMethods: ['GET', 'PUT'],
      allowedOrigins: ['https://a.com', ''],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: 3000,
    });
    assert.deepEqual(parseCorsConfiguration(renderCorsConfiguration(rules)), rules);
  });

  const bad: Array<{ name: string; body: string; want: RegExp }> = [
    { name: 'no rules', body: wrap(''), want: /^MalformedXML/ },
    {
      name: 'a rule without origin',
      body: wrap('<CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>'),
      want: /^MalformedXML/,
    },
    {
      name: 'a rule without method',
      body: wrap('<CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule>'),
      want: /^MalformedXML/,
    },
    { name: 'an empty rule', body: wrap('<CORSRule/>'), want: /^MalformedXML/ },
    {
      name: 'method OPTIONS',
      body: wrap(
        '<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>OPTIONS</AllowedMethod></CORSRule>',
      ),
      want: /^InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is OPTIONS$/,
    },
    {
      name: 'a lower-case method',
      body: wrap('<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>get</AllowedMethod></CORSRule>'),
      want: /^InvalidRequest/,
    },
    {
      name: 'two wildcards in an origin',
      body: wrap(
        '<CORSRule><AllowedOrigin>*example*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>',
      ),
      want: /^InvalidRequest: AllowedOrigin "\*example\*.com" can not have more than one wildcard.$/,
    },
    {
      name: 'two wildcards in a header',
      body: wrap(`<CORSRule>${ok}<AllowedHeader>x-*-*</AllowedHeader></CORSRule>`),
      want: /^InvalidRequest/,
    },
    {
      name: 'MaxAgeSeconds not an integer',
      body: wrap(`<CORSRule>${ok}<MaxAgeSeconds>1.5</MaxAgeSeconds></CORSRule>`),
      want: /^MalformedXML/,
    },
    {
      name: 'a long ID',
      body: wrap(`<CORSRule>${ok}<ID>${'i'.repeat(256)}</ID></CORSRule>`),
      want: /^InvalidRequest/,
    },
    { name: '101 rules', body: wrap(`<CORSRule>${ok}</CORSRule>`.repeat(101)), want: /^InvalidRequest/ },
    { name: 'another root', body: '<CORSRules/>', want: /^MalformedXML/ },
  ];
  for (const c of bad) {
    it(`refuses ${c.name}`, () => {
      try {
        parseCorsConfiguration(c.body);
        assert.fail('accepted');
      } catch (e) {
        assert.ok(e instanceof S3Error);
        assert.match(`${e.code}: ${e.message}`, c.want);
      }
    });
  }
});
