/**
 * Threads that hash large request bodies, so that the request thread only
 * copies each batch (one memcpy) instead of spending ~2 ms per MiB on MD5:
 * a large PUT's hashing then overlaps with its receiving and writing, and
 * concurrent PUTs hash on another core. Small bodies are hashed inline (a
 * round trip to a thread costs more than hashing them). The copy is made by
 * update() and digest(), or by the body writer itself into a buffer that
 * batchBuffer() lent, which updateBuffer() then moves to the thread whole.
 *
 * A body is hashed on one thread, in order. Its first message tells the
 * thread its checksum algorithm (there is no separate open message), and its
 * last bytes can travel with the digest request: a body of one batch costs
 * one message each way. Each update is acknowledged, and
 * update() makes the writer wait while more than MAX_PENDING_BYTES of its
 * body, or more than POOL_MAX_PENDING_BYTES of all bodies, are still
 * unhashed, so a fast client cannot queue a whole body here, nor many
 * concurrent uploads a few MiB each: the data waits in the clients' sockets
 * instead of the server's heap.
 *
 * Threads start with the first body, are unref'd while they have none (an
 * idle pool never keeps the process alive), stop after IDLE_STOP_MS without
 * work, and stop in close(). A thread that dies fails the bodies it was
 * hashing with InternalError; the next body starts a fresh one.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { errors } from '../../../shared/errors.js';
import { startThread } from '../../../shared/worker-thread.js';
import type { ChecksumAlgorithm } from '../types.js';
import type { BodyDigests, BodyHasher } from './body-hasher.js';
import { Buffers } from './hash-buffers.js';

/** Sent with a body's first message: the thread starts its state then. */
export interface HashOpen {
  readonly alg: ChecksumAlgorithm | undefined;
}

export type HashRequest =
  | {
      readonly op: 'update';
      readonly id: number;
      readonly data: ArrayBuffer;
      readonly length: number;
      readonly open?: HashOpen;
      /** Bodies open on this thread when sent, this one included (those that sent nothing yet too). */
      readonly bodies: number;
    }
  | {
      /** The final bytes (if any), hashed before the digest. */
      readonly op: 'digest';
      readonly id: number;
      readonly data?: ArrayBuffer;
      readonly length?: number;
      readonly open?: HashOpen;
      readonly bodies: number;
    }
  | { readonly op: 'drop'; readonly id: number };

export type HashReply =
  | { readonly op: 'updated'; readonly id: number; readonly data: ArrayBuffer; readonly length: number }
  | {
      readonly op: 'digest';
      readonly id: number;
      readonly md5: Uint8Array;
      readonly checksum: Uint8Array | undefined;
      /** The digest request's buffer, back for reuse. */
      readonly data?: ArrayBuffer;
      readonly length?: number;
    };

/** Unhashed bytes one body may have queued before its writer waits. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;
/**
 * Unhashed bytes of all bodies together before writers wait. Sixteen 64 MiB
 * uploads each kept their 4 MiB queued (the threads are the slower stage), and
 * those 64 MiB of copies lifted the malloc heap's high-water mark, which glibc
 * keeps, by as much. A few MiB keep every thread busy.
 */
const POOL_MAX_PENDING_BYTES = 8 * 1024 * 1024;
const IDLE_STOP_MS = 2000;
/**
 * A thread's young generation (MB): it allocates little besides the
 * messages (the batches are transferred buffers, outside the heap); its heap
 * stayed at 8.6–8.9 MB under sixteen 64 MiB PUTs at once.
 */
const YOUNG_GENERATION_MB = 2;

interface Slot {
  readonly worker: Worker;
  readonly bodies: Map<number, PooledHasher>;
  idle: NodeJS.Timeout | undefined;
}

/** Unhashed bytes of the whole pool, and the writers waiting for them to drop. */
class Backlog {
  bytes = 0;
  private readonly waiting: { ready: () => boolean; resolve: () => void; reject: (e: unknown) => void }[] =
    [];

  /** Resolves once `ready()` holds and the pool's backlog is within its bound (at once: undefined). */
  admit(ready: () => boolean): Promise<void> | undefined {
    if (ready() && this.bytes <= POOL_MAX_PENDING_BYTES) return undefined;
    return new Promise((resolve, reject) => this.waiting.push({ ready, resolve, reject }));
  }

  /** After the backlog shrank: lets in the waiting writers it now has room for, oldest first. */
  wake(): void {
    for (let i = 0; i < this.waiting.length && this.bytes <= POOL_MAX_PENDING_BYTES;) {
      const w = this.waiting[i]!;
      if (!w.ready()) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      w.resolve();
    }
  }

  /** Fails the writers whose `ready` is one of this body's. */
  fail(ready: () => boolean, err: unknown): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const w = this.waiting[i]!;
      if (w.ready !== ready) continue;
      this.waiting.splice(i, 1);
      w.reject(err);
    }
  }
}

class PooledHasher implements BodyHasher {
  private pending = 0;
  /** This body's own bound on unhashed bytes. */
  private readonly roomLeft = () => this.pending <= MAX_PENDING_BYTES;
  private digested: { resolve: (d: BodyDigests) => void; reject: (e: unknown) => void } | undefined;
  private failure: unknown;
  /** Whether the thread has heard of this body (its first message carries the algorithm). */
  private opened = false;

  constructor(
    readonly id: number,
    private readonly alg: ChecksumAlgorithm | undefined,
    private readonly slot: Slot,
    private readonly buffers: Buffers,
    private readonly backlog: Backlog,
    private readonly done: (h: PooledHasher) => void,
  ) {}

  update(chunks: readonly Buffer[]): Promise<void> | undefined {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const copied = this.copy(chunks);
    if (copied === undefined) return undefined;
    return this.sendUpdate(copied);
  }

  digest(last: readonly Buffer[] = []): Promise<BodyDigests> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.digested = { resolve, reject };
      this.send('digest', this.copy(last));
    });
  }

  batchBuffer(bytes: number): Buffer {
    return Buffer.from(this.buffers.take(bytes), 0, bytes);
  }

  /** The buffer moves to the thread as it is: no copy. */
  updateBuffer(buffer: Buffer, length: number): Promise<void> | undefined {
    const data = buffer.buffer as ArrayBuffer;
    if (this.failure !== undefined) {
      this.buffers.give(data);
      return Promise.reject(this.failure);
    }
    this.count(length);
    return this.sendUpdate({ data, length });
  }

  returnBuffer(buffer: Buffer): void {
    this.buffers.give(buffer.buffer as ArrayBuffer);
  }

  /** The chunks copied into a buffer of their own (never a pool slab, so it can move to the thread and back). */
  private copy(chunks: readonly Buffer[]): { data: ArrayBuffer; length: number } | undefined {
    let length = 0;
    for (const c of chunks) length += c.length;
    if (length === 0) return undefined;
    const data = this.buffers.take(length);
    const copy = Buffer.from(data, 0, length);
    let at = 0;
    for (const c of chunks) at += c.copy(copy, at);
    this.count(length);
    return { data, length };
  }

  /** Bytes on their way to the thread, this body's and the pool's, until their buffer comes back. */
  private count(length: number): void {
    this.pending += length;
    this.backlog.bytes += length;
  }

  /** Sends an update; the writer may go on once the backlog has room. */
  private sendUpdate(copied: { data: ArrayBuffer; length: number }): Promise<void> | undefined {
    this.send('update', copied);
    return this.backlog.admit(this.roomLeft);
  }

  /** An update or digest request, with its bytes' buffer moved to the thread. */
  private send(op: 'update' | 'digest', copied: { data: ArrayBuffer; length: number } | undefined): void {
    const common = { id: this.id, open: this.opening(), bodies: this.slot.bodies.size };
    const msg: HashRequest = copied ? { op, ...common, ...copied } : { op: 'digest', ...common };
    this.post(msg, copied ? [copied.data] : []);
  }

  /** What the thread needs to start this body, with the first message only. */
  private opening(): HashOpen | undefined {
    if (this.opened) return undefined;
    this.opened = true;
    return { alg: this.alg };
  }

  discard(): void {
    if (this.failure === undefined && this.opened) this.post({ op: 'drop', id: this.id });
    this.forget();
    this.done(this);
  }

  /** A reply from the thread. */
  receive(reply: HashReply): void {
    if (reply.data !== undefined && reply.length !== undefined) {
      this.buffers.give(reply.data);
      this.pending -= reply.length;
      this.backlog.bytes -= reply.length;
      this.backlog.wake();
    }
    if (reply.op === 'updated') return;
    this.done(this);
    this.digested?.resolve({
      md5: Buffer.from(reply.md5),
      checksum: reply.checksum === undefined ? undefined : Buffer.from(reply.checksum),
    });
  }

  fail(err: unknown): void {
    this.failure = err;
    this.backlog.fail(this.roomLeft, err);
    this.forget();
    this.digested?.reject(err);
    this.digested = undefined;
  }

  /** Takes what this body still has queued off the pool's backlog (dropped, or its thread died). */
  private forget(): void {
    this.backlog.bytes -= this.pending;
    this.pending = 0;
    this.backlog.wake();
  }

  private post(msg: HashRequest, transfer: ArrayBuffer[] = []): void {
    this.slot.worker.postMessage(msg, transfer);
  }
}

export interface HashPoolOptions {
  /** Threads; 0 or unset: one per core but one, at least one and at most four. */
  readonly threads?: number;
  readonly idleStopMs?: number;
}

export class HashPool {
  readonly threads: number;
  private readonly idleStopMs: number;
  private readonly slots: Slot[] = [];
  private readonly buffers = new Buffers();
  private readonly backlog = new Backlog();
  private nextId = 1;
  private closed = false;

  constructor(opts: HashPoolOptions = {}) {
    const cores = os.availableParallelism();
    this.threads = opts.threads || Math.min(4, Math.max(1, cores - 1));
    this.idleStopMs = opts.idleStopMs ?? IDLE_STOP_MS;
  }

  /** Threads running now. */
  get liveThreads(): number {
    return this.slots.length;
  }

  /** A hasher for one body, on the thread with the fewest bodies. */
  open(alg: ChecksumAlgorithm | undefined): BodyHasher {
    if (this.closed) throw errors.internal(new Error('the hash pool is closed'));
    let slot = this.slots.reduce<Slot | undefined>(
      (best, s) => (best === undefined || s.bodies.size < best.bodies.size ? s : best),
      undefined,
    );
    if (slot === undefined || (slot.bodies.size > 0 && this.slots.length < this.threads)) slot = this.spawn();
    const s = slot;
    const h = new PooledHasher(this.nextId++, alg, s, this.buffers, this.backlog, (done) =>
      this.finished(s, done),
    );
    if (s.bodies.size === 0) {
      clearTimeout(s.idle);
      s.idle = undefined;
      s.worker.ref();
    }
    s.bodies.set(h.id, h);
    return h;
  }

  private finished(slot: Slot, h: PooledHasher): void {
    if (!slot.bodies.delete(h.id) || slot.bodies.size > 0 || this.closed) return;
    slot.worker.unref();
    slot.idle = setTimeout(() => this.retire(slot), this.idleStopMs);
    slot.idle.unref();
  }

  private spawn(): Slot {
    const worker = startThread(new URL('./hash-thread.js', import.meta.url), {
      youngGenerationMb: YOUNG_GENERATION_MB,
    });
    const slot: Slot = { worker, bodies: new Map(), idle: undefined };
    worker.on('message', (reply: HashReply) => slot.bodies.get(reply.id)?.receive(reply));
    const fail = (e: unknown): void => {
      clearTimeout(slot.idle);
      const i = this.slots.indexOf(slot);
      if (i !== -1) this.slots.splice(i, 1);
      const err = errors.internal(e);
      for (const h of slot.bodies.values()) h.fail(err);
      slot.bodies.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`hash thread exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i === -1 || slot.bodies.size > 0) return;
    this.slots.splice(i, 1);
    if (this.slots.length === 0) this.buffers.clear();
    void slot.worker.terminate().catch(() => undefined);
  }

  /** Stops every thread; bodies still hashing fail. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const slots = this.slots.splice(0);
    const gone = errors.internal(new Error('the hash pool is closed'));
    for (const s of slots) {
      clearTimeout(s.idle);
      for (const h of s.bodies.values()) h.fail(gone);
      s.bodies.clear();
    }
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }

  /** Ends a thread as a crash would (tests). */
  crashForTest(): void {
    for (const s of this.slots) void s.worker.terminate();
  }
}
