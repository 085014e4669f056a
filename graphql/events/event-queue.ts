/**
 * The async iterator behind one subscription: the hub pushes, GraphQL pulls.
 * The buffer is bounded so a client that stops reading cannot grow memory
 * without limit: past the bound the oldest events are dropped (and counted),
 * as a live view has no use for a stale backlog.
 */

export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private readonly waiting: ((r: IteratorResult<T>) => void)[] = [];
  private done = false;
  /** Events dropped because the buffer was full. */
  dropped = 0;

  constructor(
    private readonly capacity: number,
    private readonly onClose: () => void,
  ) {}

  push(value: T): void {
    if (this.done) return;
    const next = this.waiting.shift();
    if (next) {
      next({ value, done: false });
      return;
    }
    if (this.buffer.length >= this.capacity) {
      this.buffer.shift();
      this.dropped++;
    }
    this.buffer.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.buffer.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Ends the iteration: called by GraphQL when the client goes away, or by the hub on close. */
  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(e?: unknown): Promise<IteratorResult<T>> {
    this.end();
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.buffer.length = 0;
    for (const w of this.waiting.splice(0)) w({ value: undefined, done: true });
    this.onClose();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
