/**
 * Event streams (GraphQL over SSE) write one small chunk per event. The relay
 * publishes a batch of events at once and the subscriber receives them in one
 * read, so a response then gets several writes in one turn of the event loop,
 * each a system call of its own (and, on loopback, the receiving side's TCP
 * work too): most of what a subscription cost the serving thread per event
 * (issue 3, bench:events). Corking the response on its first write of a turn
 * and uncorking it at the end of the turn (setImmediate, after the I/O
 * callbacks that produced the writes) sends them together, adding no wait
 * beyond the turn. https://nodejs.org/api/stream.html#writablecork
 */
import type { ServerResponse } from 'node:http';

export function coalesceWrites(res: ServerResponse): void {
  const write = res.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    res.uncork();
  };
  res.write = function (this: ServerResponse, ...args: unknown[]) {
    if (!corked && !res.writableEnded) {
      corked = true;
      res.cork();
      setImmediate(uncork);
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as ServerResponse['write'];
}

/** Whether the request asks for an event stream (GraphQL over SSE). */
export function wantsEventStream(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('text/event-stream');
}
