/**
 * Entry point of a worker thread of the parallel Select scan: runs one
 * ChunkJob at a time (see scan-chunk.ts) and posts its result back. Large
 * output is transferred, not copied.
 */
import { parentPort } from 'node:worker_threads';
import { runChunk, type ChunkJob, type ChunkResult } from './scan-chunk.js';

export interface ScanRequestMessage {
  readonly id: number;
  readonly job: ChunkJob;
}

export interface ScanReplyMessage {
  readonly id: number;
  readonly result: ChunkResult;
}

const port = parentPort;
if (port === null) throw new Error('scan-worker runs as a worker thread');

port.on('message', (msg: ScanRequestMessage) => {
  void runChunk(msg.job).then((result) => {
    const out = result.output;
    // A buffer that owns its whole ArrayBuffer can move; a pooled one is copied.
    const transfer: ArrayBuffer[] = [];
    if (out !== undefined && out.byteOffset === 0 && out.byteLength === out.buffer.byteLength) {
      transfer.push(out.buffer as ArrayBuffer);
    }
    // The piece goes back to the scan, which reuses its buffer (piece-buffers.ts).
    const piece = msg.job.bytes.buffer as ArrayBuffer;
    if (!transfer.includes(piece)) transfer.push(piece);
    for (const p of result.parts ?? [])
      if (p.kind === 'values' && p.values instanceof Float64Array)
        transfer.push(p.values.buffer as ArrayBuffer);
    const reply: ScanReplyMessage = { id: msg.id, result: { ...result, piece } };
    port.postMessage(reply, transfer);
  });
});
