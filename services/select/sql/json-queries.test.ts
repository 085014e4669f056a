import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SelectValue } from '../types.js';
import { compileQuery } from './index.js';
import { assertS3Error, evalOne, JSON_OPTS, runQuery, runRows } from './test-support.js';

// The data sets of the SQL reference's FROM clause and attribute access examples.
const RULES: SelectValue[] = [
  { Rules: [{ id: '1' }, { expr: 'y > x' }, { id: '2', expr: 'z = DEBUG' }] },
  { created: 'June 27', modified: 'July 6' },
];
const DIRS: SelectValue[] = [
  {
    created: '936864000',
    dir_name: 'important_docs',
    files: [{ name: '.' }, { name: '..' }, { name: '.aws' }, { name: 'downloads' }],
    owner: 'AWS S3',
  },
  {
    created: '936864000',
    dir_name: 'other_docs',
    files: [{ name: '.' }, { name: '..' }, { name: 'my stuff' }, { name: 'backup' }],
    owner: 'User',
  },
];
const SUSAN: SelectValue[] = [
  {
    name: 'Susan Smith',
    org: 'engineering',
    projects: [
      { project_name: 'project1', completed: false },
      { project_name: 'project2', completed: true },
    ],
  },
];
const BOOKS: SelectValue[] = [
  {
    books: [
      { title: 'A', price: 10 },
      { title: 'B', price: 25.5 },
    ],
  },
  { books: [] },
  { books: [{ title: 'C', price: 7 }] },
];

interface Case {
  sql: string;
  data: SelectValue[];
  expected: Record<string, SelectValue>[];
}

const CASES: Case[] = [
  {
    sql: 'SELECT id FROM S3Object[*].Rules[*].id',
    data: RULES,
    expected: [{ id: '1' }, {}, { id: '2' }, {}],
  },
  {
    sql: 'SELECT id FROM S3Object[*].Rules[*].id WHERE id IS NOT MISSING',
    data: RULES,
    expected: [{ id: '1' }, { id: '2' }],
  },
  {
    sql: 'SELECT d.dir_name, d.files FROM S3Object[*] d',
    data: DIRS,
    expected: [
      { dir_name: 'important_docs', files: (DIRS[0] as { files: SelectValue }).files },
      { dir_name: 'other_docs', files: (DIRS[1] as { files: SelectValue }).files },
    ],
  },
  {
    sql: 'SELECT _1.dir_name, _1.owner FROM S3Object[*]',
    data: DIRS,
    expected: [
      { dir_name: 'important_docs', owner: 'AWS S3' },
      { dir_name: 'other_docs', owner: 'User' },
    ],
  },
  { sql: 'SELECT s.name FROM S3Object s', data: SUSAN, expected: [{ name: 'Susan Smith' }] },
  {
    sql: 'SELECT s.projects[0].project_name FROM S3Object s',
    data: SUSAN,
    expected: [{ project_name: 'project1' }],
  },
  { sql: 'SELECT s.projects[1].completed AS done FROM S3Object s', data: SUSAN, expected: [{ done: true }] },
  {
    sql: 'SELECT price FROM S3Object[*].books[*].price',
    data: BOOKS,
    expected: [{ price: 10 }, { price: 25.5 }, {}, { price: 7 }],
  },
  {
    sql: 'SELECT _1.title FROM S3Object[*].books[*] WHERE _1.price > 8',
    data: BOOKS,
    expected: [{ title: 'A' }, { title: 'B' }],
  },
  {
    sql: 'SELECT b.title FROM S3Object[*].books[*] AS b LIMIT 2',
    data: BOOKS,
    expected: [{ title: 'A' }, { title: 'B' }],
  },
  {
    sql: 'SELECT p.project_name FROM S3Object[*].projects[1] p',
    data: SUSAN,
    expected: [{ project_name: 'project2' }],
  },
  {
    sql: "SELECT * FROM S3Object s WHERE s.owner = 'User'",
    data: DIRS,
    expected: [DIRS[1] as Record<string, SelectValue>],
  },
  {
    sql: "SELECT s.* FROM S3Object s WHERE s.owner = 'User'",
    data: DIRS,
    expected: [DIRS[1] as Record<string, SelectValue>],
  },
  { sql: 'SELECT * FROM S3Object', data: [5, 'x'], expected: [{ _1: 5 }, { _1: 'x' }] },
  { sql: 'SELECT s.owner, s.* FROM S3Object s LIMIT 1', data: [{ a: 1 }], expected: [{ a: 1 }] },
  {
    sql: 'SELECT s.a, 1 + 1, s.b.c FROM S3Object s',
    data: [{ a: 1, b: { c: 2 } }],
    expected: [{ a: 1, _2: 2, c: 2 }],
  },
  { sql: 'SELECT s FROM S3Object s', data: [{ a: 1 }], expected: [{ s: { a: 1 } }] },
  {
    sql: "SELECT s.a FROM S3Object s WHERE s.tags[0] = 'x'",
    data: [{ a: 1, tags: ['x'] }, { a: 2, tags: ['y'] }, { a: 3 }],
    expected: [{ a: 1 }],
  },
  // JSON strings are never read as numbers: '10' > 5 is not comparable.
  {
    sql: 'SELECT s.a FROM S3Object s WHERE s.v > 5',
    data: [
      { a: 1, v: '10' },
      { a: 2, v: 10 },
    ],
    expected: [{ a: 2 }],
  },
];

describe('JSON queries', () => {
  for (const c of CASES) {
    it(c.sql, () => assert.deepEqual(runRows(c.sql, c.data), c.expected));
  }

  it('an unquoted name that matches two keys: AmbiguousFieldName', () => {
    assertS3Error(
      () => runRows('SELECT s.name FROM S3Object s', [{ NAME: 1, Name: 2 }]),
      'AmbiguousFieldName',
    );
    assert.deepEqual(runRows('SELECT s."NAME" FROM S3Object s', [{ NAME: 1, Name: 2 }]), [{ NAME: 1 }]);
  });

  it('process returns the first row of an unnesting FROM path; processEach returns them all', () => {
    const q = compileQuery('SELECT price FROM S3Object[*].books[*].price', JSON_OPTS);
    assert.equal(q.multiRow, true);
    assert.deepEqual(q.process(BOOKS[0]!)!.values, [10]);
    const single = compileQuery('SELECT s.a FROM S3Object[*] s', JSON_OPTS);
    assert.equal(single.multiRow, false);
  });

  it('LIMIT counts rows, also within one unnested record', () => {
    const rows = runQuery('SELECT price FROM S3Object[*].books[*].price LIMIT 1', BOOKS);
    assert.equal(rows.length, 1);
  });

  it('projection lists top-level keys as written', () => {
    const p = compileQuery('SELECT s.a.b, s.c[0] FROM S3Object s WHERE s.D > 1', JSON_OPTS).projection;
    assert.equal(p.allColumns, false);
    assert.deepEqual([...p.names].sort(), ['D', 'a', 'c']);
    assert.equal(compileQuery('SELECT * FROM S3Object', JSON_OPTS).projection.allColumns, true);
    assert.equal(compileQuery('SELECT s FROM S3Object s', JSON_OPTS).projection.allColumns, true);
    assert.deepEqual(
      [...compileQuery('SELECT price FROM S3Object[*].books[*].price', JSON_OPTS).projection.names],
      ['books'],
    );
  });
});

describe('JSON field access: own keys only, the exact spelling first', () => {
  const ts = { kind: 'timestamp', epochMs: 1, nanos: 0, offsetMinutes: 0, precision: 'day' };
  const cases: [string, SelectValue, SelectValue][] = [
    ['s.constructor', {}, undefined],
    ['s.toString', {}, undefined],
    ['s.__proto__', {}, undefined],
    ['s.__proto__', JSON.parse('{"__proto__":1}') as SelectValue, 1],
    ['s.constructor', JSON.parse('{"constructor":2}') as SelectValue, 2],
    ['s.hasOwnProperty', JSON.parse('{"HASOWNPROPERTY":3}') as SelectValue, 3],
    ['s.a.length', { a: 'abc' }, undefined],
    ['s.a.length', { a: [1, 2] }, undefined],
    ['s.a."0"', { a: [5] }, undefined],
    ['s.a."0"', { a: { '0': 6 } }, 6],
    ['s.a.b', { a: { B: 1 } }, 1],
    ['s.A', { a: 1, A: 2 }, 2],
    ['s."a"', { A: 1 }, undefined],
    ['s.a', { a: null }, null],
    ['s.a', { a: 0 }, 0],
    ['s.a', { a: false }, false],
    ['s.a', { a: '' }, ''],
    ['s.x.y', { x: 'str' }, undefined],
    ['s.x.y', { x: null }, undefined],
    ['s.v.epochMs', { v: ts }, 1],
    ['s.v.epochms', { v: ts }, undefined],
    ['s.v.EPOCHMS', { v: { ...ts, kind: 'other' } }, 1],
  ];
  for (const [expr, record, expected] of cases) {
    it(`${expr} of ${JSON.stringify(record)}`, () => {
      // Twice: the second compile reuses the first one's field readers.
      assert.deepEqual(evalOne(expr, record), expected);
      assert.deepEqual(evalOne(expr, record), expected);
    });
  }
  it('two spellings, neither exact: AmbiguousFieldName', () => {
    assertS3Error(() => evalOne('s.a.qty', { a: { QTY: 1, Qty: 2 } }), 'AmbiguousFieldName');
  });
});

describe('JSON records that look like engine values', () => {
  it('a struct with kind "timestamp" stays a struct', () => {
    const rec = { v: { kind: 'timestamp', epochMs: 'x' } };
    assert.deepEqual(runRows('SELECT s.v.kind, s.v FROM S3Object s', [rec]), [
      { kind: 'timestamp', v: rec.v },
    ]);
  });
});
