import type { RecordedEvent } from '@rotor/core';
import { describe, expect, it, vi } from 'vitest';
import {
  collect,
  events,
  firstN,
  positions,
  rightOf,
  strictlyIncreasing,
} from './harness.js';
import type { ContractHarness } from './harness.js';

// A store that only polls may take a while to see an append.
const waitLive = { timeout: 5_000, interval: 10 };

/**
 * `follow` replays what is stored, then emits what is committed later,
 * never skipping or repeating an event, however appends interleave.
 *
 * @category testing
 */
export const followContract = (h: ContractHarness): void => {
  describe('follow', () => {
    it('replays what is stored, then goes live', async () => {
      const store = h.store();
      rightOf(await store.append('f', events(3, 'old'), 'no-stream'));
      const seen: RecordedEvent[] = [];
      const sub = store.follow().subscribe((e) => seen.push(e));
      try {
        await vi.waitFor(() => expect(seen).toHaveLength(3), waitLive);
        rightOf(await store.append('f', events(2, 'new'), 2));
        rightOf(await store.append('g', events(1, 'new'), 'no-stream'));
        await vi.waitFor(() => expect(seen).toHaveLength(6), waitLive);
      } finally {
        sub.unsubscribe();
      }
      expect(seen.map((e) => `${e.stream}@${e.revision}`)).toEqual([
        'f@0',
        'f@1',
        'f@2',
        'f@3',
        'f@4',
        'g@0',
      ]);
      expect(strictlyIncreasing(seen)).toBe(true);
    });

    it('starts from an empty store', async () => {
      const store = h.store();
      const got = firstN(store.follow(), 2);
      rightOf(await store.append('empty', events(2), 'no-stream'));
      expect((await got).map((e) => e.revision)).toEqual([0, 1]);
    });

    it('starts after a position and keeps only the given prefixes', async () => {
      const store = h.store();
      rightOf(await store.append('job-1', events(2), 'no-stream'));
      const [, second] = await collect(store.readAll());
      const got = firstN(
        store.follow({
          after: second?.position ?? 0n,
          streamPrefixes: ['job-'],
        }),
        3,
      );
      rightOf(await store.append('mappings-x', events(4), 'no-stream'));
      rightOf(await store.append('job-2', events(1), 'no-stream'));
      rightOf(await store.append('job-1', events(2), 1));
      expect((await got).map((e) => `${e.stream}@${e.revision}`)).toEqual([
        'job-2@0',
        'job-1@2',
        'job-1@3',
      ]);
    });

    it('never skips or repeats under many concurrent appends', async () => {
      const store = h.store();
      for (let k = 0; k < 5; k++) {
        rightOf(await store.append(`seed-${k}`, events(10), 'no-stream'));
      }
      const writes = Array.from({ length: 60 }, (_, k) => ({
        stream: `live-${k % 7}`,
        count: 1 + (k % 3),
      }));
      const total = 50 + writes.reduce((n, w) => n + w.count, 0);

      const one = firstN(store.follow(), total, 20_000);
      const two = firstN(store.follow(), total, 20_000);
      const results = await Promise.all(
        writes.map((w) => store.append(w.stream, events(w.count), 'any')),
      );
      results.forEach((r) => rightOf(r));

      const all = await collect(store.readAll());
      expect(all).toHaveLength(total);
      for (const followed of [await one, await two]) {
        expect(strictlyIncreasing(followed)).toBe(true);
        expect(positions(followed)).toEqual(positions(all));
      }
    });

    it('stops delivering after unsubscribe', async () => {
      const store = h.store();
      const seen: RecordedEvent[] = [];
      const sub = store.follow().subscribe((e) => seen.push(e));
      rightOf(await store.append('u', events(1), 'no-stream'));
      await vi.waitFor(() => expect(seen).toHaveLength(1), waitLive);
      sub.unsubscribe();
      rightOf(await store.append('u', events(3), 0));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen).toHaveLength(1);
    });
  });
};
