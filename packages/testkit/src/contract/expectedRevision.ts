import { describe, expect, it } from 'vitest';
import { collect, events, leftOf, rightOf } from './harness.js';
import type { ContractHarness } from './harness.js';

/**
 * The four expected-revision states, and the conflict each reports.
 *
 * @category testing
 */
export const expectedRevisionContract = (h: ContractHarness): void => {
  describe('expected revision', () => {
    it('no-stream creates a stream and refuses an existing one', async () => {
      const store = h.store();
      const first = rightOf(await store.append('s-1', events(2), 'no-stream'));
      expect(first.revision).toBe(1);

      const again = leftOf(await store.append('s-1', events(1), 'no-stream'));
      expect(again).toEqual({
        _tag: 'WrongExpectedRevision',
        stream: 's-1',
        expected: 'no-stream',
        actual: 1,
      });
    });

    it('stream-exists refuses a missing stream and accepts one', async () => {
      const store = h.store();
      const missing = leftOf(
        await store.append('s-2', events(1), 'stream-exists'),
      );
      expect(missing).toEqual({
        _tag: 'WrongExpectedRevision',
        stream: 's-2',
        expected: 'stream-exists',
        actual: 'no-stream',
      });

      rightOf(await store.append('s-2', events(1), 'no-stream'));
      const ok = rightOf(await store.append('s-2', events(3), 'stream-exists'));
      expect(ok.revision).toBe(3);
    });

    it('a number must equal the last revision', async () => {
      const store = h.store();
      const onMissing = leftOf(await store.append('s-3', events(1), 0));
      expect(onMissing).toMatchObject({ expected: 0, actual: 'no-stream' });

      rightOf(await store.append('s-3', events(3), 'no-stream'));
      for (const stale of [0, 1, 3, 7]) {
        const wrong = leftOf(await store.append('s-3', events(1), stale));
        expect(wrong).toEqual({
          _tag: 'WrongExpectedRevision',
          stream: 's-3',
          expected: stale,
          actual: 2,
        });
      }

      const ok = rightOf(await store.append('s-3', events(2), 2));
      expect(ok.revision).toBe(4);
    });

    it('any appends whatever the stream holds', async () => {
      const store = h.store();
      expect(rightOf(await store.append('s-4', events(1), 'any'))).toEqual(
        expect.objectContaining({ revision: 0 }),
      );
      expect(rightOf(await store.append('s-4', events(2), 'any'))).toEqual(
        expect.objectContaining({ revision: 2 }),
      );
    });

    it('a refused append writes nothing', async () => {
      const store = h.store();
      rightOf(await store.append('s-5', events(2, 'kept'), 'no-stream'));
      leftOf(await store.append('s-5', events(5, 'lost'), 0));
      leftOf(await store.append('s-5', events(5, 'lost'), 'no-stream'));
      leftOf(await store.append('s-6', events(5, 'lost'), 'stream-exists'));

      const all = await collect(store.readAll());
      expect(all.map((e) => e.data)).toEqual([
        { tag: 'kept', i: 0 },
        { tag: 'kept', i: 1 },
      ]);
      expect(await collect(store.readStream('s-6'))).toEqual([]);
    });

    it('of racing appends at one revision exactly one wins', async () => {
      const store = h.store();
      rightOf(await store.append('race', events(1, 'seed'), 'no-stream'));
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, k) =>
          store.append('race', events(3, `w${k}`), 0),
        ),
      );
      const winners = outcomes.filter((o) => o._tag === 'Right');
      expect(winners).toHaveLength(1);

      const stream = await collect(store.readStream('race'));
      expect(stream.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      const tags = new Set(stream.slice(1).map((e) => tagOf(e.data)));
      expect(tags.size).toBe(1);
    });
  });
};

const tagOf = (data: unknown): unknown =>
  typeof data === 'object' && data !== null && 'tag' in data
    ? data.tag
    : undefined;
