import {
  createMemoryEventStore,
  fixedClock,
  gatewayStream,
  testUid,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { recordHeartbeat, recordStopped } from './heartbeat.js';
import { readPresence, statusAt } from './presence.js';

const gw = testUid('gw1');
const t0 = '2026-12-03T10:00:00.000Z';
const ms = (iso: string) => Date.parse(iso);

describe('gateway presence from heartbeats', () => {
  it('is ONLINE with its live processes until their heartbeats expire', async () => {
    const store = createMemoryEventStore();
    const beat = (processId: string, at: string, ttlMs: number) =>
      recordHeartbeat({
        store,
        gatewayUid: gw,
        processId,
        clock: fixedClock(at),
        ttlMs,
      });
    await beat('a', t0, 30_000);
    await beat('b', t0, 10_000);
    // Another gateway's process does not count for this one.
    await recordHeartbeat({
      store,
      gatewayUid: testUid('gw2'),
      processId: 'c',
      clock: fixedClock(t0),
      ttlMs: 60_000,
    });
    const read = await readPresence(store, gw);
    if (E.isLeft(read)) {
      throw new Error(read.left);
    }
    const presence = read.right;

    expect(statusAt(presence, ms(t0) + 5_000)).toEqual({
      gatewayUid: gw,
      status: 'ONLINE',
      live: ['a', 'b'],
    });
    expect(statusAt(presence, ms(t0) + 10_000).live).toEqual(['a']);
    expect(statusAt(presence, ms(t0) + 30_000)).toEqual({
      gatewayUid: gw,
      status: 'OFFLINE',
      live: [],
    });
  });

  it('a later heartbeat extends a process; a stopped one is gone at once', async () => {
    const store = createMemoryEventStore();
    await recordHeartbeat({
      store,
      gatewayUid: gw,
      processId: 'a',
      clock: fixedClock(t0),
      ttlMs: 10_000,
    });
    await recordHeartbeat({
      store,
      gatewayUid: gw,
      processId: 'a',
      clock: fixedClock('2026-12-03T10:00:08.000Z'),
      ttlMs: 10_000,
    });
    const before = await readPresence(store, gw);
    expect(
      E.isRight(before) && statusAt(before.right, ms(t0) + 15_000).status,
    ).toBe('ONLINE');

    await recordStopped({
      store,
      gatewayUid: gw,
      processId: 'a',
      clock: fixedClock('2026-12-03T10:00:09.000Z'),
    });
    const after = await readPresence(store, gw);
    expect(
      E.isRight(after) && statusAt(after.right, ms(t0) + 9_500).status,
    ).toBe('OFFLINE');
  });

  it('a gateway with no stream is OFFLINE', async () => {
    const store = createMemoryEventStore();
    const read = await readPresence(store, gw);

    expect(E.isRight(read) && statusAt(read.right, ms(t0)).status).toBe(
      'OFFLINE',
    );
  });

  it('a heartbeat is written to gateway-<uid>', async () => {
    const store = createMemoryEventStore();
    await recordHeartbeat({
      store,
      gatewayUid: gw,
      processId: 'a',
      clock: fixedClock(t0),
      ttlMs: 1_000,
    });
    const seen = [];
    for await (const e of store.readStream(gatewayStream(gw))) {
      seen.push(e.data);
    }

    expect(seen).toEqual([
      {
        gatewayUid: gw,
        processId: 'a',
        at: t0,
        expiresAt: '2026-12-03T10:00:01.000Z',
      },
    ]);
  });
});
