/**
 * How far V8 lets the old generation grow after a full GC before the next
 * one: at most 50 % over what survived, instead of V8's own factor, which
 * reaches 4× when collections are cheap and the program is busy.
 *
 * A serving process promotes request garbage steadily; with V8's factor its
 * heap held 60–90 MB of it after `npm run bench:s3`'s cells (33 MB live).
 * Full GCs used to come sooner anyway, forced by the external memory of a
 * fresh Buffer per GET read; since reads reuse their buffers
 * (store/blob/read-buffers.ts) nothing else bounds the heap. Measured on a
 * 2-core machine, the benchmark's cells then a 1 GiB PUT + GET: RSS before /
 * peak 227–256 / 248–281 MB without the cap, 217–219 / 226–237 MB with it,
 * at the same throughput.
 */
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/** Applies to every isolate of the process (the job, hash and scan threads too). */
export function capHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
