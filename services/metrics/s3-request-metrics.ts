/**
 * S3 request metrics: requests by operation and status code, latency
 * histograms and bytes on the wire, fed by the S3 server's onRequestDone hook.
 *
 * Bytes are counted from the socket's own counters (bytesRead / bytesWritten)
 * rather than by wrapping every body in a counting Transform: nothing is added
 * to the data path. Each socket remembers where the previous request on it
 * ended, so with keep-alive every request is charged exactly the bytes that
 * crossed the socket for it: request line, headers and body in; status line,
 * headers and body out. (HTTP/1.1 clients do not pipeline, so requests on one
 * socket do not overlap.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Latency buckets in seconds, 1 ms to 30 s. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Status recorded when the connection closed before the response was complete
 * (the client went away, or a streamed body failed): nginx's "client closed request".
 */
export const CLOSED_BEFORE_RESPONSE = 499;

interface SocketMark {
  read: number;
  written: number;
}

export class S3RequestMetrics {
  private readonly requests: Counter<'operation' | 'code'>;
  private readonly duration: Histogram<'operation'>;
  private readonly bytesIn: Counter<'operation'>;
  private readonly bytesOut: Counter<'operation'>;
  private readonly marks = new WeakMap<Socket, SocketMark>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'strata_s3_requests_total',
      help: 'S3 requests by operation (PutObject, GetObject, …; Unknown before routing) and HTTP status code.',
      labelNames: ['operation', 'code'],
      registers,
    });
    this.duration = new Histogram({
      name: 'strata_s3_request_duration_seconds',
      help: 'Time from receiving an S3 request to the end of its response, by operation.',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.bytesIn = new Counter({
      name: 'strata_s3_received_bytes_total',
      help: 'Bytes received for S3 requests (request line, headers and body), by operation.',
      labelNames: ['operation'],
      registers,
    });
    this.bytesOut = new Counter({
      name: 'strata_s3_sent_bytes_total',
      help: 'Bytes sent in S3 responses (status line, headers and body), by operation.',
      labelNames: ['operation'],
      registers,
    });
  }

  /** Records one request; call when its response has closed. */
  record(operation: string, code: number, seconds: number, bytesIn: number, bytesOut: number): void {
    this.requests.inc({ operation, code: String(code) });
    this.duration.observe({ operation }, seconds);
    if (bytesIn > 0) this.bytesIn.inc({ operation }, bytesIn);
    if (bytesOut > 0) this.bytesOut.inc({ operation }, bytesOut);
  }

  /**
   * The S3 server's hook: called once per request when its response closes,
   * with the operation it was routed to (undefined for a /_strata/ request,
   * which is not an S3 request but still moves the socket's byte marks) and
   * the hrtime it started at.
   */
  readonly onRequestDone = (
    operation: string | undefined,
    req: IncomingMessage,
    res: ServerResponse,
    startedAt: bigint,
  ): void => {
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const code = res.writableFinished ? res.statusCode : CLOSED_BEFORE_RESPONSE;
    const socket = req.socket as Socket | null;
    let bytesIn = 0;
    let bytesOut = 0;
    if (socket) {
      const mark = this.marks.get(socket) ?? { read: 0, written: 0 };
      bytesIn = socket.bytesRead - mark.read;
      bytesOut = socket.bytesWritten - mark.written;
      mark.read = socket.bytesRead;
      mark.written = socket.bytesWritten;
      this.marks.set(socket, mark);
    }
    if (operation !== undefined) this.record(operation, code, seconds, bytesIn, bytesOut);
  };
}
