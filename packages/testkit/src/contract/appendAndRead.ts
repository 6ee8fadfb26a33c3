import { isLeft } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  collect,
  event,
  events,
  positions,
  rightOf,
  strictlyIncreasing,
} from './harness.js';
import type { ContractHarness } from './harness.js';

/**
 * Appends are atomic and ordered; reads of a stream and of everything
 * return what was written, in order, from where they are asked to start.
 *
 * @category testing
 */
export const appendAndReadContract = (h: ContractHarness): void => {
  describe('append and read', () => {
    it('an append that cannot be stored writes none of its events', async () => {
      const store = h.store();
      rightOf(await store.append('atomic', events(1, 'kept'), 'no-stream'));
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      const batch = [event('A', { ok: 1 }), event('B', cyclic), event('C')];

      // A store may refuse such data with a failure or by rejecting; either
      // way nothing of the batch may be stored.
      const refused = await store.append('atomic', batch, 0).then(
        (result) => isLeft(result),
        () => true,
      );
      expect(refused).toBe(true);
      const stored = await collect(store.readStream('atomic'));
      expect(stored.map((e) => e.type)).toEqual(['Numbered']);
      expect(await collect(store.readAll())).toHaveLength(1);
    });

    it('numbers revisions from 0 per stream and positions globally', async () => {
      const store = h.store();
      const a1 = rightOf(await store.append('a', events(2), 'no-stream'));
      const b1 = rightOf(await store.append('b', events(3), 'no-stream'));
      const a2 = rightOf(await store.append('a', events(1), 1));

      const a = await collect(store.readStream('a'));
      const b = await collect(store.readStream('b'));
      expect(a.map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(b.map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(a.every((e) => e.stream === 'a')).toBe(true);

      const all = await collect(store.readAll());
      expect(all).toHaveLength(6);
      expect(strictlyIncreasing(all)).toBe(true);
      expect(all.map((e) => e.stream)).toEqual(['a', 'a', 'b', 'b', 'b', 'a']);
      expect([a1, b1, a2].map((r) => r.position)).toEqual([
        all[1]?.position,
        all[4]?.position,
        all[5]?.position,
      ]);
      expect([a1.revision, b1.revision, a2.revision]).toEqual([1, 2, 2]);
    });

    it('records type, data and an ISO time', async () => {
      const store = h.store();
      rightOf(await store.append('t', [event('Typed', { n: 1 })], 'any'));
      const [only] = await collect(store.readStream('t'));
      expect(only).toMatchObject({
        stream: 't',
        revision: 0,
        type: 'Typed',
        data: { n: 1 },
      });
      expect(typeof only?.position).toBe('bigint');
      expect(Number.isNaN(Date.parse(only?.recordedAt ?? ''))).toBe(false);
    });

    it('reads a stream from a revision', async () => {
      const store = h.store();
      rightOf(await store.append('r', events(5), 'no-stream'));
      rightOf(await store.append('other', events(2), 'no-stream'));

      const from3 = await collect(store.readStream('r', { fromRevision: 3 }));
      expect(from3.map((e) => e.revision)).toEqual([3, 4]);
      expect(await collect(store.readStream('r', { fromRevision: 5 }))).toEqual(
        [],
      );
      expect(await collect(store.readStream('missing'))).toEqual([]);
    });

    it('reads all after a position', async () => {
      const store = h.store();
      rightOf(await store.append('x', events(3), 'any'));
      rightOf(await store.append('y', events(3), 'any'));
      const all = await collect(store.readAll());
      const pivot = all[2]?.position ?? 0n;

      const after = await collect(store.readAll({ after: pivot }));
      expect(positions(after)).toEqual(positions(all.slice(3)));
      const last = all[5]?.position ?? 0n;
      expect(await collect(store.readAll({ after: last }))).toEqual([]);
    });

    it('keeps only streams with the given prefixes, taken literally', async () => {
      const store = h.store();
      for (const stream of ['job_1', 'jobX1', 'job_2', 'map-1', 'other']) {
        rightOf(await store.append(stream, events(2, stream), 'no-stream'));
      }
      const all = await collect(store.readAll());

      const jobs = await collect(store.readAll({ streamPrefixes: ['job_'] }));
      expect(jobs.map((e) => e.stream)).toEqual([
        'job_1',
        'job_1',
        'job_2',
        'job_2',
      ]);
      const some = await collect(
        store.readAll({
          streamPrefixes: ['map-', 'jobX'],
          after: all[1]?.position ?? 0n,
        }),
      );
      expect(some.map((e) => e.stream)).toEqual([
        'jobX1',
        'jobX1',
        'map-1',
        'map-1',
      ]);
    });

    it('reads thousands of events in order', async () => {
      const store = h.store();
      for (let k = 0; k < 5; k++) {
        rightOf(
          await store.append(`bulk-${k % 2}`, events(500, `${k}`), 'any'),
        );
      }
      const all = await collect(store.readAll());
      expect(all).toHaveLength(2500);
      expect(strictlyIncreasing(all)).toBe(true);
      const odd = await collect(store.readStream('bulk-1'));
      expect(odd.map((e) => e.revision)).toEqual(
        Array.from({ length: 1000 }, (_, i) => i),
      );
      const tail = await collect(
        store.readAll({ after: all[1999]?.position ?? 0n }),
      );
      expect(tail).toHaveLength(500);
    });
  });
};
