/**
 * A lean S3 client for the benchmark: node:http with a keep-alive agent and
 * SigV4 headers from @smithy/signature-v4 (UNSIGNED-PAYLOAD, so the body is
 * not hashed). Both servers get exactly the same client work; the baseline
 * just ignores the auth headers.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';

function bytes(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 / HMAC-SHA-256 on node:crypto in the shape the signer expects. */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

export interface BenchClientOptions {
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly region: string;
  readonly maxSockets: number;
}

export interface BenchResponse {
  readonly status: number;
  /** Bytes of the response body (read and dropped, or passed to onData). */
  readonly bytes: number;
}

/** A request body: a buffer, or chunks produced on demand (never all in memory). */
export type BenchBody = Buffer | Iterable<Buffer> | AsyncIterable<Buffer>;

export class BenchClient {
  private readonly agent: http.Agent;
  private readonly signer: SignatureV4;
  private readonly url: URL;

  constructor(opts: BenchClientOptions) {
    this.url = new URL(opts.endpoint);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets });
    this.signer = new SignatureV4({
      service: 's3',
      region: opts.region,
      credentials: { accessKeyId: opts.accessKey, secretAccessKey: opts.secretKey },
      sha256: NodeSha256,
      uriEscapePath: false,
    });
  }

  /** Sends one request; path is already URI-encoded (e.g. "/bucket/key"). */
  async request(
    method: string,
    path: string,
    opts: { body?: BenchBody; contentLength?: number; onData?: (chunk: Buffer) => void } = {},
  ): Promise<BenchResponse> {
    const length = Buffer.isBuffer(opts.body) ? opts.body.length : (opts.contentLength ?? 0);
    const signed = await this.signer.sign({
      method,
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      port: Number(this.url.port),
      path,
      query: {},
      headers: {
        host: this.url.host,
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        'content-length': String(length),
      },
    });
    const req = http.request({
      agent: this.agent,
      host: this.url.hostname,
      port: this.url.port,
      method,
      path,
      headers: signed.headers,
    });
    const response = once(req, 'response') as Promise<[http.IncomingMessage]>;
    response.catch(() => undefined);
    await writeBody(req, opts.body);
    const [res] = await response;
    let n = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      n += chunk.length;
      opts.onData?.(chunk);
    }
    const status = res.statusCode ?? 0;
    if (status >= 300) throw new Error(`${method} ${path} → HTTP ${status}`);
    return { status, bytes: n };
  }

  close(): void {
    this.agent.destroy();
  }
}

async function writeBody(req: http.ClientRequest, body: BenchBody | undefined): Promise<void> {
  const failed = once(req, 'error').then(([e]) => Promise.reject(e as Error));
  failed.catch(() => undefined);
  if (body === undefined || Buffer.isBuffer(body)) {
    req.end(body);
    return;
  }
  for await (const chunk of body) {
    if (!req.write(chunk)) await Promise.race([once(req, 'drain'), failed]);
  }
  req.end();
}
