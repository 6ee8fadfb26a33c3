import * as E from 'fp-ts/lib/Either.js';
import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { fixedClock } from './clock.js';
import { createMemoryEventStore } from './memoryStore.js';
import type { EventStore, RecordedEvent } from './ports.js';

const ev = (n: number) => ({ type: 'Tested', data: { n } });

const collect = async (it: AsyncIterable<RecordedEvent>) => {
  const out: RecordedEvent[] = [];
  for await (const e of it) {
    out.push(e);
  }

  return out;
};

const ok = async (p: ReturnType<EventStore['append']>) => {
  const r = await p;
  if (E.isLeft(r)) {
    throw new Error(`append failed: ${r.left._tag}`);
  }

  return r.right;
};

describe('createMemoryEventStore', () => {
  it('returns the revision of the last event written, append after append', async () => {
    const store = createMemoryEventStore();
    const one = { type: 'T', data: {} };
    const first = await store.append('s', [one, one], 'no-stream');
    const second = await store.append('s', [one, one, one], 1);
    const third = await store.append('s', [one], 4);

    expect(
      [first, second, third].map((r) => E.isRight(r) && r.right.revision),
    ).toEqual([1, 4, 5]);
  });

  it('reads a stream as it was when the read began', async () => {
    const store = createMemoryEventStore();
    const one = { type: 'T', data: {} };
    await store.append('s', [one, one], 'no-stream');
    const seen: number[] = [];
    for await (const e of store.readStream('s')) {
      seen.push(e.revision);
      if (seen.length === 1) {
        await store.append('s', [one], 1);
      }
    }

    expect(seen).toEqual([0, 1]);
  });

  it('appends atomically and numbers revisions and positions', async () => {
    const store = createMemoryEventStore({
      clock: fixedClock('2026-01-02T03:04:05.000Z'),
    });

    expect(await ok(store.append('a', [ev(1), ev(2)], 'no-stream'))).toEqual({
      revision: 1,
      position: 2n,
    });
    expect(await ok(store.append('b', [ev(3)], 'any'))).toEqual({
      revision: 0,
      position: 3n,
    });
    expect(await ok(store.append('a', [ev(4)], 1))).toEqual({
      revision: 2,
      position: 4n,
    });

    const a = await collect(store.readStream('a'));
    expect(a.map((e) => [e.revision, e.position, e.data])).toEqual([
      [0, 1n, { n: 1 }],
      [1, 2n, { n: 2 }],
      [2, 4n, { n: 4 }],
    ]);
    expect(a[0]).toMatchObject({
      stream: 'a',
      type: 'Tested',
      recordedAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it.each([
    ['no-stream', 'no-stream', true],
    ['stream-exists', 'no-stream', false],
    [0, 'no-stream', false],
    ['any', 'no-stream', true],
    ['no-stream', 0, false],
    ['stream-exists', 0, true],
    [0, 0, true],
    [1, 0, false],
    ['any', 0, true],
  ] as const)(
    'expected %s against actual %s: accepted %s',
    async (expected, actual, accepted) => {
      const store = createMemoryEventStore();
      if (actual === 0) {
        await ok(store.append('s', [ev(0)], 'any'));
      }

      const r = await store.append('s', [ev(1)], expected);

      if (accepted) {
        expect(E.isRight(r)).toBe(true);
      } else {
        expect(r).toEqual(
          E.left({
            _tag: 'WrongExpectedRevision',
            stream: 's',
            expected,
            actual,
          }),
        );
        expect(await collect(store.readStream('s'))).toHaveLength(
          actual === 0 ? 1 : 0,
        );
      }
    },
  );

  it('writes nothing of a batch that is refused', async () => {
    const store = createMemoryEventStore();
    await ok(store.append('s', [ev(1)], 'no-stream'));

    const r = await store.append('s', [ev(2), ev(3)], 5);

    expect(r).toEqual(
      E.left({
        _tag: 'WrongExpectedRevision',
        stream: 's',
        expected: 5,
        actual: 0,
      }),
    );
    expect(await collect(store.readAll())).toHaveLength(1);
  });

  it('refuses data that is not plain JSON', async () => {
    const store = createMemoryEventStore();

    const r = await store.append('s', [{ type: 'X', data: { n: 1n } }], 'any');

    expect(r).toEqual(
      E.left({ _tag: 'StoreFailed', message: 'event data is not plain JSON' }),
    );
    expect(await collect(store.readAll())).toEqual([]);
  });

  it('checks the expectation of an empty append and writes nothing', async () => {
    const store = createMemoryEventStore();

    expect(await ok(store.append('s', [], 'no-stream'))).toEqual({
      revision: -1,
      position: 0n,
    });
    expect(E.isLeft(await store.append('s', [], 'stream-exists'))).toBe(true);
  });

  it('keeps history out of reach of callers', async () => {
    const store = createMemoryEventStore();
    const data = { list: [1] };
    await ok(store.append('s', [{ type: 'X', data }], 'any'));
    data.list.push(2);

    const [first] = await collect(store.readStream('s'));
    (first?.data as { list: number[] }).list.push(3);

    const [again] = await collect(store.readStream('s'));
    expect(again?.data).toEqual({ list: [1] });
  });

  it('reads a stream from a revision', async () => {
    const store = createMemoryEventStore();
    await ok(store.append('s', [ev(0), ev(1), ev(2)], 'any'));

    const tail = await collect(store.readStream('s', { fromRevision: 1 }));

    expect(tail.map((e) => e.revision)).toEqual([1, 2]);
    expect(await collect(store.readStream('missing'))).toEqual([]);
  });

  it('reads all after a position, filtered by stream prefix', async () => {
    const store = createMemoryEventStore();
    await ok(store.append('job-1', [ev(1)], 'any'));
    await ok(store.append('mappings-g', [ev(2)], 'any'));
    await ok(store.append('job-2', [ev(3), ev(4)], 'any'));

    const all = await collect(store.readAll({ after: 1n }));
    const jobs = await collect(store.readAll({ streamPrefixes: ['job-'] }));

    expect(all.map((e) => e.position)).toEqual([2n, 3n, 4n]);
    expect(jobs.map((e) => e.stream)).toEqual(['job-1', 'job-2', 'job-2']);
  });

  it('follows: replays after the position, then live, in order', async () => {
    const store = createMemoryEventStore();
    await ok(store.append('job-1', [ev(1), ev(2)], 'any'));
    const seen: bigint[] = [];
    const sub = store
      .follow({ after: 1n })
      .subscribe((e) => seen.push(e.position));

    await ok(store.append('job-2', [ev(3)], 'any'));
    await ok(store.append('job-1', [ev(4), ev(5)], 'any'));
    sub.unsubscribe();
    await ok(store.append('job-1', [ev(6)], 'any'));

    expect(seen).toEqual([2n, 3n, 4n, 5n]);
  });

  it('follows with a prefix filter', async () => {
    const store = createMemoryEventStore();
    const next = firstValueFrom(
      store.follow({ streamPrefixes: ['job-'] }).pipe(take(2), toArray()),
    );

    await ok(store.append('mappings-g', [ev(1)], 'any'));
    await ok(store.append('job-1', [ev(2)], 'any'));
    await ok(store.append('job-2', [ev(3)], 'any'));

    expect((await next).map((e) => e.stream)).toEqual(['job-1', 'job-2']);
  });

  it('never skips or reorders when a follower appends while called', async () => {
    const store = createMemoryEventStore();
    const seen: number[] = [];
    store.follow().subscribe((e) => {
      const n = (e.data as { n: number }).n;
      seen.push(n);
      if (n < 5) {
        void store.append('s', [ev(n + 1)], 'any');
      }
    });
    const other: number[] = [];
    store.follow().subscribe((e) => other.push((e.data as { n: number }).n));

    await ok(store.append('s', [ev(1)], 'any'));

    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(other).toEqual([1, 2, 3, 4, 5]);
  });

  it('stops notifying a follower after unsubscribe', async () => {
    const store = createMemoryEventStore();
    const seen: number[] = [];
    const sub = store.follow().subscribe(() => {
      seen.push(1);
      sub.unsubscribe();
    });

    await ok(store.append('s', [ev(1), ev(2)], 'any'));
    await ok(store.append('s', [ev(3)], 'any'));

    expect(seen).toEqual([1]);
  });

  it('completes followers and refuses appends once closed', async () => {
    const store = createMemoryEventStore();
    await ok(store.append('s', [ev(1)], 'any'));
    const done = firstValueFrom(store.follow().pipe(toArray()));

    await store.close();

    expect((await done).map((e) => e.position)).toEqual([1n]);
    expect(await store.append('s', [ev(2)], 'any')).toEqual(
      E.left({ _tag: 'StoreUnavailable', message: 'store is closed' }),
    );
  });
});
