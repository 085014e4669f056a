/**
 * COUNT, SUM, AVG, MIN and MAX. They skip NULL and MISSING (COUNT(*) counts
 * rows). SUM of integers is an integer, of any float a float; AVG is the sum
 * over the count as a decimal (AVG of 80 and 81 is 80.5); over no values SUM,
 * AVG, MIN and MAX are NULL and COUNT is 0. CSV text is read as a number
 * (empty text is skipped, as a CSV cell with no value); other text in SUM or
 * AVG is an evaluation error. MIN and MAX also order strings (CSV text that
 * is not numeric among them) and timestamps; mixing kinds is an error.
 *
 * A parallel scan folds pieces of the object on worker threads and merges
 * their parts (AggregatePart) on the request's thread in object order, with
 * the result the sequential scan gets: counts add up, MIN / MAX take each
 * piece's best through add(), and SUM / AVG, whose float result depends on
 * the order of the additions, are fed each piece's values (a piece's query
 * is compiled with `recordValues`, so its SUM / AVG slots keep the values,
 * already checked and converted from text, instead of adding them up).
 */
import type { SelectValue } from '../types.js';
import type { AggregateName } from './ast.js';
import type { AggregatePart, AggregateSlot } from './compiled.js';
import { countPresent, eachValue, isNumberArray, sumNumbers } from './column-values.js';
import { evalError } from './sql-error.js';
import { compareValues, textToNumber, typeName, type StaticType } from './values.js';

function notNumeric(name: string, v: SelectValue): Error {
  const shown = typeof v === 'string' ? ` '${v.slice(0, 64)}'` : '';
  return evalError('ExternalEvalException', `${name} needs numbers, not ${typeName(v)}${shown}.`);
}

/** The number an aggregate adds up; undefined to skip the value. */
function numericInput(name: string, v: SelectValue, text: boolean): number | bigint | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' && text) {
    const n = textToNumber(v);
    if (n !== undefined) return n;
    if (v.trim() === '') return undefined;
  }
  throw notNumeric(name, v);
}

function partOf<K extends AggregatePart['kind']>(
  part: AggregatePart,
  kind: K,
): Extract<AggregatePart, { kind: K }> {
  if (part.kind !== kind) throw new Error(`aggregate part ${part.kind} merged into a ${kind} aggregate`);
  return part as Extract<AggregatePart, { kind: K }>;
}

/**
 * An aggregate fed with its argument's value per row (COUNT(*): with
 * anything). With `recordValues`, SUM and AVG keep their values for part().
 */
export function makeAggregate(
  name: AggregateName,
  star: boolean,
  argType: StaticType,
  recordValues = false,
): AggregateSlot {
  const text = argType === 'text';
  if (star) {
    let n = 0;
    return {
      add: () => void n++,
      result: () => n,
      addColumn: (c) => void (n += c.count),
      neverThrowsOn: () => true,
      part: () => ({ kind: 'count', n }),
      merge: (p) => void (n += partOf(p, 'count').n),
    };
  }
  switch (name) {
    case 'COUNT': {
      let n = 0;
      return {
        add: (v) => {
          if (v !== null && v !== undefined) n++;
        },
        result: () => n,
        addColumn: (c) => void (n += countPresent(c)),
        neverThrowsOn: () => true,
        part: () => ({ kind: 'count', n }),
        merge: (p) => void (n += partOf(p, 'count').n),
      };
    }
    case 'SUM':
    case 'AVG': {
      if (recordValues) return recordingSlot(name, text);
      let sum: number | bigint = 0;
      let big = false;
      let count = 0;
      const slot: AggregateSlot = {
        add: (value) => {
          const v = numericInput(name, value, text);
          if (v === undefined) return;
          count++;
          if (typeof v === 'number') {
            if (big) {
              sum = Number(sum);
              big = false;
            }
            sum = (sum as number) + v;
          } else if (count === 1 || big) {
            // Integers beyond 2^53 (Parquet INT64) add up exactly while all inputs are bigint.
            sum = count === 1 ? v : (sum as bigint) + v;
            big = true;
          } else {
            sum = (sum as number) + Number(v);
          }
        },
        result: () => {
          if (count === 0) return null;
          if (name === 'SUM') return sum;
          return Number(sum) / count;
        },
        addColumn: (c) => {
          if (!isNumberArray(c.values)) return eachValue(c, slot.add);
          if (c.count === 0) return;
          // Numbers only: what add() does for each, in one loop.
          sum = sumNumbers({ ...c, values: c.values }, big ? Number(sum) : (sum as number));
          big = false;
          count += c.count;
        },
        neverThrowsOn: isNumberArray,
        part: () => {
          throw new Error(`${name} keeps no values: compile the piece's query with recordValues`);
        },
        merge: (p) => {
          const { values } = partOf(p, 'values');
          slot.addColumn({ values, indices: undefined, sel: undefined, count: values.length });
        },
      };
      return slot;
    }
    default: {
      let best: SelectValue;
      const wantMax = name === 'MAX';
      const slot: AggregateSlot = {
        add: (value) => {
          let v = value;
          if (v === null || v === undefined) return;
          if (typeof v === 'string' && text) {
            // Numeric CSV text compares as numbers; other text (names) as strings.
            if (v.trim() === '') return;
            v = textToNumber(v) ?? v;
          }
          if (best === undefined) {
            best = v;
            return;
          }
          const c = compareValues(v, best, false);
          if (c === undefined)
            throw evalError(
              'ExternalEvalException',
              `${name} cannot compare ${typeName(v)} with ${typeName(best)}.`,
            );
          if (wantMax ? c > 0 : c < 0) best = v;
        },
        result: () => (best === undefined ? null : best),
        addColumn: (c) => eachValue(c, slot.add),
        // Numbers always compare with numbers.
        neverThrowsOn: isNumberArray,
        part: () => ({ kind: 'best', value: best }),
        merge: (p) => slot.add(partOf(p, 'best').value),
      };
      return slot;
    }
  }
}

/**
 * SUM or AVG in a piece of a parallel scan: checks and converts each value
 * as add() does (skipping NULL, MISSING and empty CSV text, failing on other
 * non-numbers) and keeps it, in a Float64Array while all are numbers.
 */
function recordingSlot(name: AggregateName, text: boolean): AggregateSlot {
  let numbers = new Float64Array(1024);
  let n = 0;
  let mixed: SelectValue[] | undefined;
  const slot: AggregateSlot = {
    add: (value) => {
      const v = numericInput(name, value, text);
      if (v === undefined) return;
      if (mixed !== undefined) {
        mixed.push(v);
      } else if (typeof v !== 'number') {
        mixed = Array.from(numbers.subarray(0, n));
        mixed.push(v);
      } else {
        if (n === numbers.length) {
          const grown = new Float64Array(n * 2);
          grown.set(numbers);
          numbers = grown;
        }
        numbers[n++] = v;
      }
    },
    result: () => {
      throw new Error(`${name} in a piece of a scan has no result of its own`);
    },
    addColumn: (c) => eachValue(c, slot.add),
    neverThrowsOn: () => false,
    part: () => ({ kind: 'values', values: mixed ?? numbers.slice(0, n) }),
    merge: () => {
      throw new Error(`${name} in a piece of a scan merges nothing`);
    },
  };
  return slot;
}
