/**
 * COUNT, SUM, AVG, MIN and MAX. They skip NULL and MISSING (COUNT(*) counts
 * rows). SUM of integers is an integer, of any float a float; AVG is the sum
 * over the count as a decimal (AVG of 80 and 81 is 80.5); over no values SUM,
 * AVG, MIN and MAX are NULL and COUNT is 0. CSV text is read as a number
 * (empty text is skipped, as a CSV cell with no value); other text in SUM or
 * AVG is an evaluation error. MIN and MAX also order strings (CSV text that
 * is not numeric among them) and timestamps; mixing kinds is an error.
 */
import type { SelectValue } from '../types.js';
import type { AggregateName } from './ast.js';
import type { AggregateSlot } from './compiled.js';
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

/** An aggregate fed with its argument's value per row (COUNT(*): with anything). */
export function makeAggregate(name: AggregateName, star: boolean, argType: StaticType): AggregateSlot {
  const text = argType === 'text';
  if (star) {
    let n = 0;
    return {
      add: () => void n++,
      result: () => n,
      addColumn: (c) => void (n += c.count),
      neverThrowsOn: () => true,
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
      };
    }
    case 'SUM':
    case 'AVG': {
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
      };
      return slot;
    }
  }
}
