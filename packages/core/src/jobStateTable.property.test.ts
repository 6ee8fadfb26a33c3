import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyTable,
  recordOfTable,
  tableEntries,
  tableGet,
  tableOfRecord,
  tableSet,
} from './jobStateTable.js';

// Short keys from a small alphabet collide in the trie's slots often; the
// `__proto__` and numeric keys check that the record stays a plain one.
const keyArb = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.constantFrom('__proto__', 'constructor', '0', '17'),
);

describe('persistent table', () => {
  it('behaves as a Map, in insertion order, and never changes an old version', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArb, fc.integer())), (sets) => {
        const model = new Map<string, number>();
        let table = emptyTable<number>();
        const versions: Array<[typeof table, Array<[string, number]>]> = [];
        for (const [k, v] of sets) {
          versions.push([table, [...model]]);
          table = tableSet(table, k, v);
          model.set(k, v);
          expect(tableGet(table, k)).toBe(v);
        }
        expect(table.size).toBe(model.size);
        expect(tableEntries(table)).toEqual([...model]);
        for (const [old, entries] of versions) {
          expect(tableEntries(old)).toEqual(entries);
        }
        const record = recordOfTable(table);
        expect(Object.keys(record).sort()).toEqual([...model.keys()].sort());
        expect([...tableEntries(tableOfRecord(record))].sort()).toEqual(
          [...model].sort(),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('finds each of many keys', () => {
    let table = emptyTable<number>();
    for (let i = 0; i < 5000; i++) {
      table = tableSet(table, `m${i}`, i);
    }
    expect(table.size).toBe(5000);
    expect(tableGet(table, 'm4321')).toBe(4321);
    expect(tableGet(table, 'm5000')).toBeUndefined();
  });
});
