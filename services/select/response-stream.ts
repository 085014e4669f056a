/**
 * The response body of a SelectObjectContent: a Readable of event-stream
 * messages that the HTTP server pipes to the client. The scan pushes
 * messages into it and, before reading more of the object, waits for
 * `demand()`: a slow client therefore slows the scan down instead of making
 * the server buffer the output. When the client goes away (the server
 * destroys the body), `signal` aborts the scan.
 */
import { Readable } from 'node:stream';

/** Buffered output, in bytes, past which the scan waits for the client. */
const HIGH_WATER_MARK = 1024 * 1024;

export class SelectResponseStream extends Readable {
  private readonly abort = new AbortController();
  private waiter: (() => void) | undefined;
  private wantsMore = true;
  /** Time of the last message pushed (for Cont keep-alives). */
  lastSentAt = Date.now();

  constructor() {
    super({ highWaterMark: HIGH_WATER_MARK });
  }

  /** Aborted when the client goes away or the body is destroyed. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get gone(): boolean {
    return this.abort.signal.aborted;
  }

  /** Queues one encoded message. */
  send(message: Buffer): void {
    if (this.gone) return;
    this.lastSentAt = Date.now();
    this.wantsMore = this.push(message);
  }

  /** Ends the body (after End or an error event). */
  finish(): void {
    if (!this.gone) this.push(null);
  }

  /** Resolves once the client has read what is buffered (or at once if it has). */
  demand(): Promise<void> {
    if (this.wantsMore || this.gone) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  override _read(): void {
    this.wantsMore = true;
    this.release();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A body destroyed after it ended (every completed request) has no scan
    // left to stop; aborting would only make a DOMException, stack and all.
    if (error !== null || !this.readableEnded) this.abort.abort();
    this.release();
    callback(error);
  }

  private release(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
