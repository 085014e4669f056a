/**
 * A harness for authenticator tests: the real authenticator and a real store
 * behind a bare node:http server, with the clock pinned (by default to the
 * AWS examples' 2013-05-24), answering every request with a JSON outcome:
 * the caller and a digest of the decoded body, or the S3 error and its
 * elements.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { loadConfig } from '../../shared/config.js';
import { silentLogger } from '../../shared/logger.js';
import { createAuthenticator } from '../../services/s3/auth/authenticate.js';
import { toS3Error } from '../../services/s3/error-response.js';
import { parseRequestTarget } from '../../services/s3/request-target.js';
import { createStore } from '../../services/store/index.js';
import { EMPTY_SHA256 } from './sigv4-sign.js';

export const T0 = Date.parse('2013-05-24T00:00:00Z');
export const STAMP = '20130524T000000Z';
export const AK = 'AKIAIOSFODNN7EXAMPLE';
export const SK = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const SCOPE = '20130524/us-east-1/s3/aws4_request';
export const HOST = 'examplebucket.s3.amazonaws.com';
export const CREDS = { accessKey: AK, secretKey: SK, region: 'us-east-1' };

export type Outcome = Record<string, unknown> & { status: number };
export interface Req {
  method: string;
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface AuthHarness {
  /** Sends a request with the server's clock at `now`. */
  send(r: Req, now?: number): Promise<Outcome>;
  close(): Promise<void>;
}

export async function startAuthHarness(): Promise<AuthHarness> {
  let clock = T0;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-auth-'));
  const store = createStore({ dataDir, log: silentLogger });
  await store.ready();
  store.ensureRootUser(AK, SK);
  const config = loadConfig({ STRATA_DATA_DIR: dataDir, STRATA_ACCESS_KEY: AK, STRATA_SECRET_KEY: SK });
  const authenticate = createAuthenticator(store, config, { now: () => clock });
  const server = http.createServer((req, res) => {
    void (async () => {
      let out: Outcome;
      try {
        const target = parseRequestTarget(req.url ?? '/', req.headers.host, []);
        const auth = await authenticate(req, target, { anonymousAllowed: false });
        const hash = createHash('sha256');
        let length = 0;
        for await (const chunk of auth.body) {
          hash.update(chunk as Buffer);
          length += (chunk as Buffer).length;
        }
        const sha256 = hash.digest('hex');
        out = {
          status: 200,
          user: auth.user.accessKey,
          length,
          sha256,
          contentLength: auth.contentLength,
          trailers: { ...auth.trailers() },
        };
      } catch (e) {
        const err = toS3Error(e);
        out = { status: err.status, Code: err.code, Message: err.message, ...err.details };
        if (!req.readableEnded) req.resume();
      }
      res.statusCode = out.status;
      res.end(JSON.stringify(out));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    send(r, now = T0) {
      clock = now;
      return new Promise((resolve, reject) => {
        const headers = { ...r.headers, ...(r.body ? { 'content-length': String(r.body.length) } : {}) };
        const req = http.request(
          { host: '127.0.0.1', port, method: r.method, path: r.target, headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Outcome));
          },
        );
        req.on('error', reject);
        req.end(r.body);
      });
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers, in the calling test file (or describe block), a harness started
 * before its tests and closed after them; returns `send` on that harness.
 */
export function useAuthHarness(): AuthHarness['send'] {
  let h: AuthHarness | undefined;
  before(async () => {
    h = await startAuthHarness();
  });
  after(() => h?.close());
  return (r, now) => {
    assert.ok(h, 'the harness is started by the before hook');
    return h.send(r, now);
  };
}

export const OK = { status: 200 };
export const error = (
  status: number,
  Code: string,
  Message?: string,
  details: Record<string, unknown> = {},
) => ({
  status,
  Code,
  ...(Message === undefined ? {} : { Message }),
  ...details,
});
export const malformed = (detail: string, details: Record<string, unknown> = {}) =>
  error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`, details);
export const queryError = (message: string, details: Record<string, unknown> = {}) =>
  error(400, 'AuthorizationQueryParametersError', message, details);
export const denied = (message: string, details: Record<string, unknown> = {}) =>
  error(403, 'AccessDenied', message, details);

/** Keeps only the expected fields of an outcome, so a case names just what it checks. */
export function pick(outcome: Outcome, expected: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(expected).map((k) => [k, outcome[k]]));
}

export function authz(signedHeaders: string, signature: string): string {
  return `AWS4-HMAC-SHA256 Credential=${AK}/${SCOPE},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

/** The GET Object example of the AWS documentation, as sent. */
export function getObjectExample(): Req {
  return {
    method: 'GET',
    target: '/test.txt',
    headers: {
      Host: HOST,
      Range: 'bytes=0-9',
      'x-amz-content-sha256': EMPTY_SHA256,
      'x-amz-date': STAMP,
      Authorization: authz(
        'host;range;x-amz-content-sha256;x-amz-date',
        'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      ),
    },
  };
}
