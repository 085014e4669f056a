/**
 * Streams a response body to the client. It does what `stream.pipeline(body,
 * res)` did here — back-pressure, the body destroyed when the client goes
 * away, the response destroyed when the body fails — without pipeline's
 * per-call machinery: pipeline aborts an internal AbortController when it
 * completes, which builds a DOMException (with a captured stack) on every
 * GET; with 4 KiB objects that showed as several percent of a GET's CPU.
 *
 * It writes each chunk itself rather than piping, so that it knows when the
 * socket has taken a chunk: then `recycle` gets it back (the store reuses the
 * memory of the chunks it read; ObjectStore.recycle).
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/** Resolves once the whole body is handed to the socket; rejects if either side fails or closes early. */
export function sendBody(
  body: Readable,
  res: ServerResponse,
  recycle?: (chunk: Buffer) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let waiting = false;
    const resume = (): void => {
      waiting = false;
      body.resume();
    };
    const onData = (chunk: Buffer): void => {
      // The callback runs once the socket no longer needs the chunk (written, or the response failed).
      const more = recycle ? res.write(chunk, () => recycle(chunk)) : res.write(chunk);
      if (!more && !waiting) {
        waiting = true;
        body.pause();
        res.once('drain', resume);
      }
    };
    const onEnd = (): void => {
      res.end();
    };
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      body.off('end', onEnd);
      res.off('drain', resume);
      body.destroy();
      res.destroy();
      reject(err);
    };
    // Error listeners stay after settling: a stream may report a second error while it is torn down.
    body.on('error', fail);
    res.on('error', fail);
    body.once('close', () => {
      // A body that closes without ending (destroyed, e.g. by the request's abort signal) would leave the response open.
      if (!body.readableEnded) fail(prematureClose());
    });
    res.once('close', () => {
      if (!res.writableFinished) fail(prematureClose());
    });
    res.once('finish', () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    body.once('end', onEnd);
    body.on('data', onData);
  });
}
