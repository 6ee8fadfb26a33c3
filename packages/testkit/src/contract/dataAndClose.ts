import { isLeft } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { collect, event, rightOf } from './harness.js';
import type { ContractHarness } from './harness.js';

const samples: ReadonlyArray<unknown> = [
  {
    text: 'héllo wörld, 日本語, Ελληνικά, עברית',
    astral: '😀 𝄞 🔑 \u{1F680}',
    escapes: 'quote " backslash \\ newline \n tab \t sep \u2028',
    'key 🔑 with spaces': true,
  },
  { n: [0, -1, 1.5, 2 ** 53 - 1, 1e21, -3.25e-7], b: [true, false], z: null },
  { deep: { a: [{ b: { c: [[], {}, [1, [2, [3]]]] } }] } },
  ['an', 'array', 1],
  'a bare string 🙂',
  42,
  null,
];

/**
 * Data comes back as the JSON it was written as; `close` ends the store.
 *
 * @category testing
 */
export const dataAndCloseContract = (h: ContractHarness): void => {
  describe('data', () => {
    it('round-trips JSON, unicode outside the BMP included', async () => {
      const store = h.store();
      rightOf(
        await store.append(
          'data-ünï-😀',
          samples.map((data) => event('Sample', data)),
          'no-stream',
        ),
      );
      const back = await collect(store.readStream('data-ünï-😀'));
      expect(back.map((e) => e.data)).toEqual(samples);
      const all = await collect(store.readAll({ streamPrefixes: ['data-ü'] }));
      expect(all.map((e) => e.stream)).toEqual(
        samples.map(() => 'data-ünï-😀'),
      );
    });
  });

  describe('close', () => {
    it('completes followers, is idempotent, and refuses appends', async () => {
      const store = h.store();
      rightOf(await store.append('c', [event('Before')], 'no-stream'));
      let completed = false;
      const seen: string[] = [];
      const sub = store.follow().subscribe({
        next: (e) => seen.push(e.type),
        complete: () => {
          completed = true;
        },
      });

      await store.close();
      await store.close();
      expect(completed).toBe(true);
      sub.unsubscribe();

      const after = await store.append('c', [event('After')], 'any').then(
        (result) => isLeft(result),
        () => true,
      );
      expect(after).toBe(true);
      expect(seen).not.toContain('After');
    });
  });
};
