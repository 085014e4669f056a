import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs, UsageError, type FlagSpec } from './args.js';

const spec: FlagSpec = { strings: ['port', 'data-dir'], booleans: ['help'] };

describe('parseArgs', () => {
  const ok: [string[], { positionals: string[]; flags: Record<string, string | boolean> }][] = [
    [[], { positionals: [], flags: {} }],
    [['--port', '9100'], { positionals: [], flags: { port: '9100' } }],
    [['--port=9100'], { positionals: [], flags: { port: '9100' } }],
    [['--data-dir='], { positionals: [], flags: { 'data-dir': '' } }],
    [['add', 'alice', '--help'], { positionals: ['add', 'alice'], flags: { help: true } }],
    [['-h'], { positionals: [], flags: { help: true } }],
    [['--', '--port'], { positionals: ['--port'], flags: {} }],
    [['--port', '1', '--port', '2'], { positionals: [], flags: { port: '2' } }],
  ];
  for (const [argv, want] of ok) {
    it(`parses ${JSON.stringify(argv)}`, () => {
      assert.deepEqual(parseArgs(argv, spec), want);
    });
  }

  const bad: [string[], RegExp][] = [
    [['--nope'], /unknown flag --nope/],
    [['--port'], /--port needs a value/],
    [['--port', '--help'], /--port needs a value/],
    [['--help=yes'], /takes no value/],
    [['-x'], /unknown option -x/],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${JSON.stringify(argv)}`, () => {
      assert.throws(
        () => parseArgs(argv, spec),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      );
    });
  }
});
