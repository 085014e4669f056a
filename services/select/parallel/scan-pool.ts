/**
 * The worker threads of the parallel Select scan, one per node. Threads start
 * on the first job that needs one (a node that never runs a large select
 * never starts any), run one job at a time each, stop after IDLE_STOP_MS
 * without work (a thread keeps the heap its scans grew, tens of MB, until it
 * exits), and stop in close(), which the node calls when it shuts down. An
 * idle thread is unref'd so that it never keeps the process alive by itself.
 *
 * A thread that dies (an uncaught error, out of memory) fails the job it was
 * running with InternalError; the next job starts a fresh thread.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { errors } from '../../../shared/errors.js';
import { startThread } from '../../../shared/worker-thread.js';
import { PieceBuffers } from './piece-buffers.js';
import type { ChunkJob, ChunkResult } from './scan-chunk.js';
import type { ScanReplyMessage, ScanRequestMessage } from './scan-worker.js';

/**
 * Pieces a large object is cut into, in bytes. Measured on a 420 MB CSV scan
 * with 1.4 M rows out (bench select-big's memory query, 2 threads): 8 MiB
 * pieces peaked at 383 MB server RSS, 2 MiB pieces with YOUNG_GENERATION_MB
 * at 247-261 MB (the sequential scan: 266 MB); throughput differences were
 * within the noise of the shared machine.
 */
export const DEFAULT_PIECE_BYTES = 2 * 1024 * 1024;
/**
 * A thread's young generation (MB). A piece's text, fields and output are
 * short-lived garbage; a small young generation collects them, and the moved
 * piece buffers they hold on to, before they add up in RSS. Measured on a
 * 600 MB CSV scan with two threads: 16 MB peaked at 330-370 MB of server RSS,
 * 8 MB at ~255 MB for about the same time (sequential: ~218 MB).
 */
const YOUNG_GENERATION_MB = 8;
/**
 * A thread's old generation (MB): a piece needs a few MB (its text, fields
 * and output), so a thread that lets garbage pile up to V8's default limit
 * only holds memory. Measured on a 2 GB CSV scan with 6.7 M rows out (two
 * threads): server RSS peaked at 287-288 MB without a limit, 242-254 MB at
 * 64 MB (234-243 MB at 48 MB).
 */
const OLD_GENERATION_MB = 64;
/**
 * A thread with no work for this long exits; the next large scan starts a
 * fresh one (~30 ms). Measured: the server's RSS after a CSV, a JSON and a
 * Parquet select of ~200-500 MB each was ~330-370 MB with both threads kept,
 * ~160-210 MB with scans on the request's thread only.
 */
const DEFAULT_IDLE_STOP_MS = 2000;
/** Objects smaller than this are scanned on the request's thread: threads would not pay off. */
export const DEFAULT_MIN_OBJECT_BYTES = 16 * 1024 * 1024;

export interface ScanPoolOptions {
  /** Threads; 0 = one per available core. */
  readonly threads: number;
  /** Size of the pieces (tests use small ones). */
  readonly pieceBytes?: number;
  readonly minObjectBytes?: number;
  /** Idle time after which a thread exits (tests use short ones). */
  readonly idleStopMs?: number;
}

interface Task {
  readonly job: ChunkJob;
  readonly transfer: ArrayBuffer[];
  readonly resolve: (r: ChunkResult) => void;
  readonly reject: (e: unknown) => void;
}

interface Slot {
  readonly worker: Worker;
  task: Task | undefined;
  idle: NodeJS.Timeout | undefined;
}

export class ScanPool {
  readonly threads: number;
  readonly pieceBytes: number;
  /** Piece buffers, reused across scans (piece-buffers.ts). */
  readonly buffers: PieceBuffers;
  private readonly idleStopMs: number;
  readonly minObjectBytes: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(opts: ScanPoolOptions) {
    this.threads = opts.threads > 0 ? opts.threads : os.availableParallelism();
    this.pieceBytes = opts.pieceBytes ?? DEFAULT_PIECE_BYTES;
    this.minObjectBytes = opts.minObjectBytes ?? DEFAULT_MIN_OBJECT_BYTES;
    this.idleStopMs = opts.idleStopMs ?? DEFAULT_IDLE_STOP_MS;
    // A piece is cut once pieceBytes have come, so it is at most one store chunk (1 MiB) longer.
    this.buffers = new PieceBuffers(this.pieceBytes + 1024 * 1024, this.threads + 2);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Threads running now (busy or waiting for work). */
  get liveThreads(): number {
    return this.slots.length;
  }

  /** Runs one piece on a thread; the buffers in `transfer` move to it. */
  run(job: ChunkJob, transfer: ArrayBuffer[]): Promise<ChunkResult> {
    if (this.closed) return Promise.reject(errors.internal(new Error('the select scan pool is closed')));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, transfer, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === undefined);
      if (slot === undefined && this.slots.length < this.threads) slot = this.spawn();
      if (slot === undefined) return;
      const task = this.queue.shift()!;
      slot.task = task;
      clearTimeout(slot.idle);
      slot.idle = undefined;
      slot.worker.ref();
      const msg: ScanRequestMessage = { id: this.nextId++, job: task.job };
      slot.worker.postMessage(msg, task.transfer);
    }
  }

  private spawn(): Slot {
    const worker = startThread(new URL('./scan-worker.js', import.meta.url), {
      youngGenerationMb: YOUNG_GENERATION_MB,
      resourceLimits: { maxOldGenerationSizeMb: OLD_GENERATION_MB },
    });
    const slot: Slot = { worker, task: undefined, idle: undefined };
    worker.on('message', (msg: ScanReplyMessage) => {
      const task = slot.task;
      slot.task = undefined;
      worker.unref();
      task?.resolve(msg.result);
      this.dispatch();
      if (slot.task === undefined && !this.closed) {
        slot.idle = setTimeout(() => this.retire(slot), this.idleStopMs);
        slot.idle.unref();
      }
    });
    const fail = (e: unknown): void => {
      clearTimeout(slot.idle);
      const i = this.slots.indexOf(slot);
      if (i === -1) return;
      this.slots.splice(i, 1);
      slot.task?.reject(errors.internal(e));
      slot.task = undefined;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`select scan thread exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  /** Stops a thread that has had no work for idleStopMs. */
  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i === -1 || slot.task !== undefined) return;
    this.slots.splice(i, 1);
    void slot.worker.terminate().catch(() => undefined);
  }

  /** Stops every thread; queued and running jobs fail. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const gone = errors.internal(new Error('the select scan pool is closed'));
    for (const task of this.queue.splice(0)) task.reject(gone);
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      clearTimeout(slot.idle);
      slot.task?.reject(gone);
    }
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }
}
