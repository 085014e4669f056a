import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Source of a function that allocates objects living a while, so that a young
 * generation grows to its limit, and returns the most it took (MB).
 */
const CHURN = `(v8) => {
  const keep = [];
  let most = 0;
  for (let i = 0; i < 2_000_000; i++) {
    keep.push({ i, s: 'x' + i });
    if (keep.length > 40_000) keep.splice(0, 20_000);
    if (i % 50_000 === 0) {
      const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
      most = Math.max(most, s.physical_space_size);
    }
  }
  return most / 2 ** 20;
}`;

describe('startThread', () => {
  it("gives a thread the young generation it asks for, whatever the process's --max-semi-space-size", async () => {
    const thread = `import v8 from 'node:v8'; import { parentPort } from 'node:worker_threads'; parentPort.postMessage((${CHURN})(v8));`;
    const script = `
      import v8 from 'node:v8';
      const { startThread } = await import(${JSON.stringify(new URL('./worker-thread.js', import.meta.url).href)});
      const thread = startThread(new URL('data:text/javascript,' + encodeURIComponent(${JSON.stringify(thread)})), { youngGenerationMb: 2 });
      const threadMb = await new Promise((resolve, reject) => { thread.once('message', resolve); thread.once('error', reject); });
      await thread.terminate();
      console.log(JSON.stringify({ threadMb, mainMb: (${CHURN})(v8) }));
    `;
    // The process runs as npm start runs the server: semi-spaces of up to 8 MB.
    const { stdout } = await run(process.execPath, [
      '--max-semi-space-size=8',
      '--input-type=module',
      '-e',
      script,
    ]);
    const { threadMb, mainMb } = JSON.parse(stdout) as { threadMb: number; mainMb: number };
    assert.ok(threadMb <= 4, `the thread's young generation grew to ${threadMb.toFixed(1)} MB`);
    // The request thread keeps the size it started with.
    assert.ok(mainMb > 8, `the main thread's young generation stayed at ${mainMb.toFixed(1)} MB`);
  });
});
